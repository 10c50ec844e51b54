// Runs authwiz's Cognito Lambda trigger modules (src/auth/triggers/modules)
// under Node with Cognito-shaped events (src/auth/triggers/events), as Lambda
// would: the modules are copied into a function folder (like a function's src/)
// next to this folder's node_modules, and invoked through index.js with
// MODULES set; events go in and out as JSON.
//
// Usage: node run.mjs <endpoint> <access-key>
//   endpoint: the local emulator (http://127.0.0.1:PORT), for the modules that
//   call Cognito (add-to-group, user-migration); access-key names its account.
//   Without them, those tests are skipped.
// Prints one result line per test, then one JSON line: {"passed":N,"failed":N,...}.
// Exits non-zero on any failure.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  CreateUserPoolClientCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AdminListGroupsForUserCommand,
  ListGroupsCommand,
} from '@aws-sdk/client-cognito-identity-provider';

const started = Date.now();
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const modulesDir = join(repo, 'src/auth/triggers/modules');
const eventsDir = join(repo, 'src/auth/triggers/events');
const [endpoint, accessKey] = process.argv.slice(2);

// --- AWS settings: only the local emulator, never a real account -----------
for (const k of [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER',
]) {
  delete process.env[k];
}
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_REGION = process.env.AWS_REGION || 'us-east-1';
if (endpoint) {
  const host = new URL(endpoint).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
    console.error(`refusing a non-local endpoint: ${endpoint}`);
    process.exit(2);
  }
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_ACCESS_KEY_ID = accessKey || 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'x';
} else {
  // No endpoint: nothing may reach AWS.
  process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'x';
}

// --- The function folder: the modules as Lambda gets them ------------------
mkdirSync(join(here, '.work'), { recursive: true });
const fnDir = mkdtempSync(join(here, '.work', 'fn-'));
const extraDirs = [];
// Removed however the run ends.
process.on('exit', () => {
  for (const dir of [fnDir, ...extraDirs]) rmSync(dir, { recursive: true, force: true });
});
for (const f of readdirSync(modulesDir)) {
  if (f.endsWith('.js')) copyFileSync(join(modulesDir, f), join(fnDir, f));
}
// A Lambda function's folder is CommonJS (this folder's package.json says ESM).
writeFileSync(join(fnDir, 'package.json'), JSON.stringify({ private: true, type: 'commonjs' }) + '\n');
// Test-only modules, to watch the runner's order and chaining.
writeFileSync(
  join(fnDir, 't-slow.js'),
  `exports.handler = async (event) => {
  await new Promise((r) => setTimeout(r, 30));
  (event.seen = event.seen || []).push('slow');
  return event;
};\n`,
);
writeFileSync(
  join(fnDir, 't-fast.js'),
  `exports.handler = async (event) => { (event.seen = event.seen || []).push('fast'); return event; };\n`,
);
writeFileSync(
  join(fnDir, 't-replace.js'),
  `exports.handler = async (event) => ({ ...event, replaced: true, seen: ['replace'] });\n`,
);
writeFileSync(join(fnDir, 't-mutate.js'), `exports.handler = async (event) => { event.mutated = true; };\n`);
const requireFn = createRequire(join(fnDir, 'index.js'));
const index = requireFn('./index.js');

// --- Helpers ----------------------------------------------------------------
const sample = (trigger) => JSON.parse(readFileSync(join(eventsDir, `${trigger}.json`), 'utf8'));

/** Runs `fn` with these environment variables set (undefined unsets). */
async function withEnv(vars, fn) {
  const saved = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Invokes index.js as Lambda would: MODULES and env set, event in and out as JSON. */
async function invoke(modules, event, env = {}) {
  const context = {
    functionName: 'authwizTriggerTest',
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => 5000,
  };
  return withEnv({ ...env, MODULES: modules }, async () => {
    const out = await index.handler(JSON.parse(JSON.stringify(event)), context);
    return JSON.parse(JSON.stringify(out));
  });
}

/** An invocation expected to throw: returns its error message. */
async function invokeFails(modules, event, env = {}) {
  try {
    await invoke(modules, event, env);
  } catch (err) {
    return err.message;
  }
  assert.fail(`${modules}: expected an error`);
}

function presignup(email, triggerSource = 'PreSignUp_SignUp') {
  const e = sample('PreSignup');
  e.triggerSource = triggerSource;
  e.request.userAttributes = email === undefined ? { phone_number: '+15555550100' } : { email };
  return e;
}

// --- Test harness -----------------------------------------------------------
const tests = [];
const test = (name, fn, { emulator = false } = {}) => tests.push({ name, fn, emulator });

// --- Sample events ----------------------------------------------------------
const SOURCES = {
  CreateAuthChallenge: 'CreateAuthChallenge_',
  CustomMessage: 'CustomMessage_',
  DefineAuthChallenge: 'DefineAuthChallenge_',
  PostAuthentication: 'PostAuthentication_',
  PostConfirmation: 'PostConfirmation_',
  PreAuthentication: 'PreAuthentication_',
  PreSignup: 'PreSignUp_',
  PreTokenGeneration: 'TokenGeneration_',
  UserMigration: 'UserMigration_',
  VerifyAuthChallengeResponse: 'VerifyAuthChallengeResponse_',
};

test('every trigger has a Cognito-shaped sample event', async () => {
  const files = readdirSync(eventsDir).filter((f) => f.endsWith('.json')).sort();
  assert.deepEqual(files, Object.keys(SOURCES).map((t) => `${t}.json`).sort());
  for (const [trigger, prefix] of Object.entries(SOURCES)) {
    const e = sample(trigger);
    for (const k of ['version', 'region', 'userPoolId', 'userName', 'callerContext', 'triggerSource', 'request', 'response']) {
      assert.ok(k in e, `${trigger}: ${k}`);
    }
    assert.ok(e.triggerSource.startsWith(prefix), `${trigger}: ${e.triggerSource}`);
    assert.ok(e.userPoolId.startsWith(`${e.region}_`), `${trigger}: ${e.userPoolId}`);
    assert.equal(typeof e.callerContext.clientId, 'string');
    // The pass-through module returns it as it came.
    assert.deepEqual(await invoke('custom', e), e);
  }
});

// --- index.js ---------------------------------------------------------------
test('index: no MODULES returns the event unchanged', async () => {
  const e = sample('PostConfirmation');
  assert.deepEqual(await invoke('', e), e);
  assert.deepEqual(await invoke(undefined, e), e);
  assert.deepEqual(await invoke(' , ', e), e);
});

test('index: runs the modules in order, one after the other, chaining the event', async () => {
  const e = sample('PostAuthentication');
  assert.deepEqual((await invoke('t-slow,t-fast', e)).seen, ['slow', 'fast']);
  assert.deepEqual((await invoke(' t-fast , t-slow ', e)).seen, ['fast', 'slow']);
  const r = await invoke('t-fast,t-replace,t-slow,t-mutate', e);
  assert.equal(r.replaced, true);
  assert.equal(r.mutated, true);
  assert.deepEqual(r.seen, ['replace', 'slow']);
});

test('index: a failing module fails the invocation; bad names are refused', async () => {
  const msg = await invokeFails('t-fast,email-filter-denylist', presignup('a@bad.example'), {
    DOMAINDENYLIST: 'bad.example',
  });
  assert.equal(msg, 'Invalid email domain: bad.example');
  assert.match(await invokeFails('../run', sample('PreSignup')), /invalid module name/);
  assert.throws(() => requireFn('./no-such-module'));
  await assert.rejects(invoke('no-such-module', sample('PreSignup')), /Cannot find module/);
});

// --- PreSignup filters -------------------------------------------------------
test('email-filter-denylist rejects listed domains only', async () => {
  const env = { DOMAINDENYLIST: ' Example.com , ,spam.ORG ' };
  const deny = (email) => invoke('email-filter-denylist', presignup(email), env);
  for (const email of ['jo@example.com', 'JO@EXAMPLE.COM', 'x@Spam.Org']) {
    await assert.rejects(deny(email), /^Error: Invalid email domain: /, email);
  }
  assert.equal(
    await invokeFails('email-filter-denylist', presignup('Jo@Example.COM'), env),
    'Invalid email domain: Example.COM',
  );
  for (const email of ['jo@sub.example.com', 'jo@example.com.evil.net', 'jo@notexample.com', 'jo@good.net']) {
    const r = await deny(email);
    assert.equal(r.request.userAttributes.email, email);
    assert.deepEqual(r.response, presignup(email).response);
  }
  await deny(undefined); // no email: allowed
  await invoke('email-filter-denylist', presignup('jo@example.com'), { DOMAINDENYLIST: '' });
  await invoke('email-filter-denylist', presignup('jo@example.com'), { DOMAINDENYLIST: undefined });
  await assert.rejects(deny('a@example.com', 'PreSignUp_AdminCreateUser'), /Invalid email domain/);
});

test('email-filter-allowlist accepts listed domains only', async () => {
  const env = { DOMAINALLOWLIST: ' Corp.example ,, partner.org ' };
  const allow = (email, source) => invoke('email-filter-allowlist', presignup(email, source), env);
  for (const email of ['amy@corp.example', 'AMY@CORP.EXAMPLE', 'b@Partner.Org']) {
    assert.equal((await allow(email)).request.userAttributes.email, email);
  }
  await allow('amy@corp.example', 'PreSignUp_AdminCreateUser');
  for (const email of ['amy@sub.corp.example', 'amy@corp.example.evil', 'amy@gmail.com', 'amy@xcorp.example']) {
    await assert.rejects(allow(email), /^Error: Invalid email domain: /, email);
  }
  assert.equal(
    await invokeFails('email-filter-allowlist', presignup('amy@Gmail.com'), env),
    'Invalid email domain: Gmail.com',
  );
  await assert.rejects(allow(undefined), /email address is required/);
  await assert.rejects(
    invoke('email-filter-allowlist', presignup('amy@corp.example'), { DOMAINALLOWLIST: '' }),
    /Invalid email domain/,
  );
});

// --- CustomMessage -----------------------------------------------------------
const LINK_ENV = {
  REDIRECTURL: 'https://app.example.com/confirm',
  EMAILSUBJECT: 'Verify your email',
  EMAILMESSAGE: 'Click the link to verify your email:',
};

/** The link in a message, with the code Cognito would put in place of {####}. */
function linkIn(message, code = '123456') {
  const raw = message.split(' ').pop();
  return new URL(raw.replace('{####}', code));
}

test('verification-link: sign-up and resent codes carry a confirmation link with {####}', async () => {
  for (const source of ['CustomMessage_SignUp', 'CustomMessage_ResendCode']) {
    const e = sample('CustomMessage');
    e.triggerSource = source;
    e.userName = 'j doe+1@example.com';
    const r = await invoke('verification-link', e, LINK_ENV);
    const msg = r.response.emailMessage;
    assert.equal(msg.split('{####}').length, 2, msg); // exactly once, braces literal
    assert.ok(!msg.includes('%7B'), msg);
    assert.ok(msg.startsWith(`${LINK_ENV.EMAILMESSAGE} https://app.example.com/confirm?username=`), msg);
    assert.equal(r.response.emailSubject, LINK_ENV.EMAILSUBJECT);
    assert.equal(r.response.smsMessage, msg);
    const url = linkIn(msg);
    assert.equal(url.origin + url.pathname, LINK_ENV.REDIRECTURL);
    assert.deepEqual([...url.searchParams.keys()], ['username', 'code', 'clientId', 'region']);
    assert.equal(url.searchParams.get('username'), 'j doe+1@example.com');
    assert.equal(url.searchParams.get('code'), '123456');
    assert.equal(url.searchParams.get('clientId'), e.callerContext.clientId);
    assert.equal(url.searchParams.get('region'), e.region);
  }
});

test('verification-link: keeps the redirect URL query and fragment; other messages unchanged', async () => {
  const e = sample('CustomMessage');
  const r = await invoke('verification-link', e, {
    ...LINK_ENV,
    REDIRECTURL: 'https://app.example.com/auth/confirm?lang=en&x=1#done',
  });
  const msg = r.response.emailMessage;
  assert.ok(msg.includes('https://app.example.com/auth/confirm?lang=en&x=1&username=jdoe&code={####}&'), msg);
  assert.ok(msg.endsWith('#done'), msg);
  const url = linkIn(msg);
  assert.equal(url.searchParams.get('lang'), 'en');
  assert.equal(url.searchParams.get('code'), '123456');
  for (const source of ['CustomMessage_ForgotPassword', 'CustomMessage_AdminCreateUser', 'CustomMessage_UpdateUserAttribute']) {
    const other = { ...sample('CustomMessage'), triggerSource: source };
    assert.deepEqual(await invoke('verification-link', other, LINK_ENV), other);
  }
  assert.match(
    await invokeFails('verification-link', sample('CustomMessage'), { ...LINK_ENV, REDIRECTURL: 'not a url' }),
    /REDIRECTURL/,
  );
});

// --- PreTokenGeneration ------------------------------------------------------
test('alter-claims adds, overrides and suppresses claims; rejects bad CLAIMSTOADD', async () => {
  const r = await invoke('alter-claims', sample('PreTokenGeneration'), {
    CLAIMSTOADD: '{"tier":"gold","email":"override@example.com"}',
    CLAIMSTOSUPPRESS: ' phone_number, ,address ',
  });
  assert.deepEqual(r.response.claimsOverrideDetails, {
    claimsToAddOrOverride: { tier: 'gold', email: 'override@example.com' },
    claimsToSuppress: ['phone_number', 'address'],
  });
  const none = await invoke('alter-claims', sample('PreTokenGeneration'), {
    CLAIMSTOADD: undefined,
    CLAIMSTOSUPPRESS: undefined,
  });
  assert.deepEqual(none.response.claimsOverrideDetails, { claimsToAddOrOverride: {}, claimsToSuppress: [] });
  // What an earlier module set (group overrides) stays.
  const e = sample('PreTokenGeneration');
  e.response.claimsOverrideDetails = { groupOverrideDetails: { groupsToOverride: ['a'] } };
  const kept = await invoke('alter-claims', e, { CLAIMSTOADD: '{"k":"v"}' });
  assert.deepEqual(kept.response.claimsOverrideDetails.groupOverrideDetails, { groupsToOverride: ['a'] });
  for (const bad of ['{tier:', '[1,2]', '"text"', 'null', '{"n":1}']) {
    assert.match(await invokeFails('alter-claims', sample('PreTokenGeneration'), { CLAIMSTOADD: bad }), /CLAIMSTOADD/, bad);
  }
});

// --- Custom auth challenge ----------------------------------------------------
/**
 * Plays a sign-in as Cognito does: Define decides, Create makes the challenge,
 * the client answers, Verify checks, the session grows, until Define issues
 * tokens or fails. `answer(publicParams, privateParams, round)` is the client's.
 */
async function cognitoSignIn({ define, create, verify, srp, passwordOk = true, answer, env }) {
  const user = sample('DefineAuthChallenge');
  const session = srp ? [{ challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null }] : [];
  const asked = [];
  for (let round = 0; round < 10; round++) {
    const d = await invoke(define, { ...user, request: { ...user.request, session } }, env);
    if (d.response.issueTokens) return { outcome: 'tokens', asked, session };
    if (d.response.failAuthentication) return { outcome: 'fail', asked, session };
    const name = d.response.challengeName;
    asked.push(name);
    if (name === 'PASSWORD_VERIFIER') {
      session.push({ challengeName: name, challengeResult: passwordOk, challengeMetadata: null });
      continue;
    }
    assert.equal(name, 'CUSTOM_CHALLENGE');
    const c0 = sample('CreateAuthChallenge');
    const c = await invoke(
      create,
      { ...c0, request: { ...c0.request, challengeName: name, session } },
      env,
    );
    const v0 = sample('VerifyAuthChallengeResponse');
    const v = await invoke(
      verify,
      {
        ...v0,
        request: {
          ...v0.request,
          privateChallengeParameters: c.response.privateChallengeParameters,
          challengeAnswer: answer(c.response.publicChallengeParameters, c.response.privateChallengeParameters, round),
        },
      },
      env,
    );
    assert.equal(typeof v.response.answerCorrect, 'boolean');
    session.push({
      challengeName: name,
      challengeResult: v.response.answerCorrect,
      challengeMetadata: c.response.challengeMetadata,
    });
  }
  assert.fail('the sign-in did not end');
}

const BOILERPLATE = {
  define: 'boilerplate-define-challenge',
  create: 'boilerplate-create-challenge',
  verify: 'boilerplate-verify',
};

test('custom auth: password then the right answer issues tokens', async () => {
  const r = await cognitoSignIn({
    ...BOILERPLATE,
    srp: true,
    env: { CHALLENGEANSWER: '424242' },
    answer: (pub) => {
      assert.deepEqual(pub, { trigger: 'true' });
      return '424242';
    },
  });
  assert.equal(r.outcome, 'tokens');
  assert.deepEqual(r.asked, ['PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE']);
  assert.equal(r.session.at(-1).challengeMetadata, 'CUSTOM_CHALLENGE');
});

test('custom auth: wrong answers fail after three attempts; a retry can succeed', async () => {
  const env = { CHALLENGEANSWER: '424242' };
  const wrong = await cognitoSignIn({ ...BOILERPLATE, srp: true, env, answer: () => '000000' });
  assert.equal(wrong.outcome, 'fail');
  assert.deepEqual(wrong.asked, ['PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE', 'CUSTOM_CHALLENGE', 'CUSTOM_CHALLENGE']);
  const third = await cognitoSignIn({
    ...BOILERPLATE,
    srp: true,
    env,
    answer: (_p, _q, round) => (round === 3 ? '424242' : 'nope'),
  });
  assert.equal(third.outcome, 'tokens');
  const badPassword = await cognitoSignIn({ ...BOILERPLATE, srp: true, passwordOk: false, env, answer: () => '424242' });
  assert.equal(badPassword.outcome, 'fail');
  assert.deepEqual(badPassword.asked, ['PASSWORD_VERIFIER']);
});

test('custom auth: CUSTOM_AUTH without SRP; random 6-digit codes', async () => {
  const codes = new Set();
  const r = await cognitoSignIn({
    ...BOILERPLATE,
    srp: false,
    env: { CHALLENGEANSWER: undefined },
    answer: (_pub, priv) => {
      assert.match(priv.answer, /^\d{6}$/);
      codes.add(priv.answer);
      return priv.answer; // as if delivered to the user
    },
  });
  assert.equal(r.outcome, 'tokens');
  assert.deepEqual(r.asked, ['CUSTOM_CHALLENGE']);
  for (let i = 0; i < 20; i++) {
    const c = await invoke(BOILERPLATE.create, sample('CreateAuthChallenge'), { CHALLENGEANSWER: undefined });
    assert.match(c.response.privateChallengeParameters.answer, /^\d{6}$/);
    codes.add(c.response.privateChallengeParameters.answer);
  }
  assert.ok(codes.size > 1, 'codes are random');
  const wrong = await cognitoSignIn({ ...BOILERPLATE, srp: false, env: {}, answer: () => 'guess' });
  assert.equal(wrong.outcome, 'fail');
});

test('custom auth: unexpected sessions fail; verify needs an expected answer', async () => {
  const define = async (session) =>
    (await invoke(BOILERPLATE.define, { ...sample('DefineAuthChallenge'), request: { session } })).response;
  const s = (challengeName, challengeResult) => ({ challengeName, challengeResult, challengeMetadata: null });
  assert.equal((await define([s('PASSWORD_VERIFIER', true)])).failAuthentication, true);
  assert.equal((await define([s('SRP_A', true), s('CUSTOM_CHALLENGE', true)])).failAuthentication, true);
  assert.equal((await define([s('SRP_A', true), s('PASSWORD_VERIFIER', true), s('SMS_MFA', true)])).failAuthentication, true);
  const ok = await define([s('SRP_A', true), s('PASSWORD_VERIFIER', true), s('CUSTOM_CHALLENGE', true)]);
  assert.deepEqual([ok.issueTokens, ok.failAuthentication], [true, false]);
  // The sample event (after the password) asks the custom challenge.
  const next = (await invoke(BOILERPLATE.define, sample('DefineAuthChallenge'))).response;
  assert.deepEqual(next, { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false });
  // Create answers only CUSTOM_CHALLENGE.
  const other = { ...sample('CreateAuthChallenge') };
  other.request = { ...other.request, challengeName: 'PASSWORD_VERIFIER' };
  assert.deepEqual(await invoke(BOILERPLATE.create, other), other);
  const v = sample('VerifyAuthChallengeResponse');
  assert.equal((await invoke(BOILERPLATE.verify, v)).response.answerCorrect, true);
  for (const priv of [{}, { answer: '' }, null]) {
    const e = { ...v, request: { ...v.request, privateChallengeParameters: priv, challengeAnswer: '' } };
    assert.equal((await invoke(BOILERPLATE.verify, e)).response.answerCorrect, false);
  }
  const noAnswer = { ...v, request: { ...v.request, privateChallengeParameters: {} } };
  delete noAnswer.request.challengeAnswer;
  assert.equal((await invoke(BOILERPLATE.verify, noAnswer)).response.answerCorrect, false);
});

// --- reCAPTCHA -----------------------------------------------------------------
/** A stand-in for Google's siteverify on 127.0.0.1. */
async function fakeSiteverify() {
  const requests = [];
  let status = 200;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      requests.push({ method: req.method, type: req.headers['content-type'], secret: form.get('secret'), response: form.get('response') });
      res.writeHead(status, { 'content-type': 'application/json' });
      const success = form.get('secret') === 's3cret' && form.get('response') === 'good-token';
      res.end(JSON.stringify(success ? { success: true, hostname: 'app.example.com' } : { success: false, 'error-codes': ['invalid-input-response'] }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/recaptcha/api/siteverify`,
    requests,
    setStatus: (s) => (status = s),
    close: () => new Promise((r) => server.close(r)),
  };
}

const CAPTCHA = { define: 'captcha-define-challenge', create: 'captcha-create-challenge', verify: 'captcha-verify' };

test('captcha: a whole sign-in against a local siteverify', async () => {
  const site = await fakeSiteverify();
  try {
    const env = { RECAPTCHASECRET: 's3cret', RECAPTCHA_VERIFY_URL: site.url };
    const ok = await cognitoSignIn({
      ...CAPTCHA,
      srp: true,
      env,
      answer: (pub) => {
        assert.deepEqual(pub, { captcha: 'true' });
        return 'good-token';
      },
    });
    assert.equal(ok.outcome, 'tokens');
    assert.deepEqual(ok.asked, ['PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE']);
    assert.equal(ok.session.at(-1).challengeMetadata, 'CAPTCHA_CHALLENGE');
    assert.deepEqual(site.requests[0], {
      method: 'POST',
      type: 'application/x-www-form-urlencoded;charset=UTF-8',
      secret: 's3cret',
      response: 'good-token',
    });
    const bad = await cognitoSignIn({ ...CAPTCHA, srp: true, env, answer: () => 'bad token&x=1' });
    assert.equal(bad.outcome, 'fail');
    assert.equal(site.requests.at(-1).response, 'bad token&x=1'); // form-encoded intact
    const retry = await cognitoSignIn({ ...CAPTCHA, srp: true, env, answer: (_p, _q, round) => (round === 2 ? 'good-token' : 'bad') });
    assert.equal(retry.outcome, 'tokens');
    // A captcha proves no identity: no flow without the password.
    const noSrp = await cognitoSignIn({ ...CAPTCHA, srp: false, env, answer: () => 'good-token' });
    assert.equal(noSrp.outcome, 'fail');
    assert.deepEqual(noSrp.asked, []);
    const wrongSecret = await invoke(CAPTCHA.verify, sample('VerifyAuthChallengeResponse'), {
      ...env,
      RECAPTCHASECRET: 'other',
    });
    assert.equal(wrongSecret.response.answerCorrect, false);
    // An HTTP failure throws (Cognito fails the sign-in).
    site.setStatus(503);
    const v = sample('VerifyAuthChallengeResponse');
    v.request.challengeAnswer = 'good-token';
    assert.match(await invokeFails(CAPTCHA.verify, v, env), /HTTP 503/);
    assert.match(await invokeFails(CAPTCHA.verify, v, { ...env, RECAPTCHASECRET: undefined }), /RECAPTCHASECRET/);
  } finally {
    await site.close();
  }
  // Nobody listening: the network failure throws.
  const gone = await fakeSiteverify();
  await gone.close();
  const v = sample('VerifyAuthChallengeResponse');
  await assert.rejects(invoke(CAPTCHA.verify, v, { RECAPTCHASECRET: 's3cret', RECAPTCHA_VERIFY_URL: gone.url }));
});

// --- add-to-group's error paths, against a fake Cognito on 127.0.0.1 -----------
/** A Cognito stand-in answering each operation (X-Amz-Target) as told. */
async function fakeCognito(answers) {
  const calls = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const op = String(req.headers['x-amz-target'] || '').split('.').pop();
      calls.push(op);
      const [status, reply] = answers[op] || [400, { __type: 'InvalidParameterException', message: op }];
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, calls, close: () => new Promise((r) => server.close(r)) };
}

/** A second copy of the function folder whose SDK clients are made with this endpoint. */
function functionAt(url) {
  const dir = mkdtempSync(join(here, '.work', 'fn-'));
  for (const f of readdirSync(fnDir)) copyFileSync(join(fnDir, f), join(dir, f));
  extraDirs.push(dir);
  const saved = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = url;
  try {
    const fn = createRequire(join(dir, 'index.js'))('./add-to-group.js');
    return fn;
  } finally {
    process.env.AWS_ENDPOINT_URL = saved;
  }
}

test('add-to-group: only "no such group" creates it; a concurrent creation is fine', async () => {
  const notFound = [400, { __type: 'ResourceNotFoundException', message: 'Group not found.' }];
  const denied = await fakeCognito({
    GetGroup: [400, { __type: 'AccessDeniedException', message: 'not allowed' }],
    CreateGroup: [200, { Group: {} }],
    AdminAddUserToGroup: [200, {}],
  });
  const raced = await fakeCognito({
    GetGroup: notFound,
    CreateGroup: [400, { __type: 'GroupExistsException', message: 'exists' }],
    AdminAddUserToGroup: [200, {}],
  });
  const failing = await fakeCognito({
    GetGroup: notFound,
    CreateGroup: [400, { __type: 'InvalidParameterException', message: 'bad group name' }],
    AdminAddUserToGroup: [200, {}],
  });
  try {
    const event = sample('PostConfirmation');
    await withEnv({ GROUP: 'members', AWS_ENDPOINT_URL: denied.url }, async () => {
      await assert.rejects(functionAt(denied.url).handler(event, {}), { name: 'AccessDeniedException' });
    });
    assert.deepEqual(denied.calls, ['GetGroup']);
    await withEnv({ GROUP: 'members', AWS_ENDPOINT_URL: raced.url }, async () => {
      assert.equal((await functionAt(raced.url).handler(event, {})).userName, event.userName);
    });
    assert.deepEqual(raced.calls, ['GetGroup', 'CreateGroup', 'AdminAddUserToGroup']);
    await withEnv({ GROUP: 'members', AWS_ENDPOINT_URL: failing.url }, async () => {
      await assert.rejects(functionAt(failing.url).handler(event, {}), { name: 'InvalidParameterException' });
    });
    assert.deepEqual(failing.calls, ['GetGroup', 'CreateGroup']);
  } finally {
    await Promise.all([denied.close(), raced.close(), failing.close()]);
  }
});

// --- Against the emulator -------------------------------------------------------
const idp = (region = process.env.AWS_REGION) =>
  new CognitoIdentityProviderClient({
    region,
    endpoint,
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: 'x' },
  });

async function newUser(client, poolId, username, attributes = {}) {
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
}

test(
  'add-to-group puts the confirmed user in GROUP, creating it once',
  async () => {
    const client = idp();
    const pool = (await client.send(new CreateUserPoolCommand({ PoolName: `triggers-${Date.now()}` }))).UserPool.Id;
    await newUser(client, pool, 'amy', { email: 'amy@example.com' });
    await newUser(client, pool, 'bob', { email: 'bob@example.com' });
    const groupsOf = async (Username) =>
      (await client.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username }))).Groups.map((g) => g.GroupName);
    const confirmed = (userName) => ({ ...sample('PostConfirmation'), userPoolId: pool, userName });
    const env = { GROUP: 'members' };
    assert.deepEqual(await groupsOf('amy'), []);
    const r = await invoke('add-to-group', confirmed('amy'), env);
    assert.equal(r.userName, 'amy');
    assert.deepEqual(await groupsOf('amy'), ['members']);
    // Again (the group exists now), and for another user: idempotent.
    await invoke('add-to-group', confirmed('amy'), env);
    await invoke('add-to-group', confirmed('bob'), env);
    assert.deepEqual(await groupsOf('amy'), ['members']);
    assert.deepEqual(await groupsOf('bob'), ['members']);
    const groups = (await client.send(new ListGroupsCommand({ UserPoolId: pool }))).Groups.map((g) => g.GroupName);
    assert.deepEqual(groups, ['members']);
    // Chained with the pass-through module, as a function with both would be.
    await invoke('add-to-group,custom', confirmed('bob'), { GROUP: 'staff' });
    assert.deepEqual((await groupsOf('bob')).sort(), ['members', 'staff']);
    // Errors other than "no such group" are not swallowed.
    await assert.rejects(invoke('add-to-group', { ...confirmed('amy'), userPoolId: 'us-east-1_nosuchpool' }, env));
    await assert.rejects(invoke('add-to-group', confirmed('nobody'), env));
    assert.match(await invokeFails('add-to-group', confirmed('amy'), { GROUP: undefined }), /GROUP/);
  },
  { emulator: true },
);

test(
  'user-migration moves a user from the old pool (region from the pool id)',
  async () => {
    const region = 'us-west-2'; // not the function's region
    const old = idp(region);
    const pool = (await old.send(new CreateUserPoolCommand({ PoolName: `old-${Date.now()}` }))).UserPool.Id;
    assert.ok(pool.startsWith(`${region}_`), pool);
    const clientId = (
      await old.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool,
          ClientName: 'migration',
          ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      )
    ).UserPoolClient.ClientId;
    await newUser(old, pool, 'olduser', {
      email: 'old@example.com',
      email_verified: 'true',
      name: 'Old User',
      'custom:plan': 'pro',
    });
    await old.send(
      new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'olduser', Password: 'Passw0rd!old', Permanent: true }),
    );
    const env = { OLDUSERPOOLID: pool, OLDCLIENTID: clientId, OLDREGION: undefined };
    const signIn = (userName, password) => {
      const e = sample('UserMigration');
      e.userName = userName;
      e.request.password = password;
      return e;
    };
    const r = await invoke('user-migration', signIn('olduser', 'Passw0rd!old'), env);
    assert.deepEqual(r.response.userAttributes, {
      email: 'old@example.com',
      email_verified: 'true',
      name: 'Old User',
      'custom:plan': 'pro',
    });
    assert.equal(r.response.finalUserStatus, 'CONFIRMED');
    assert.equal(r.response.messageAction, 'SUPPRESS');
    assert.equal(await invokeFails('user-migration', signIn('olduser', 'wrong-password'), env), 'Bad password');
    assert.equal(await invokeFails('user-migration', signIn('nobody', 'Passw0rd!old'), env), 'User does not exist');
    // Forgotten password: the attributes, no password check, no final status.
    const forgot = { ...sample('UserMigration'), triggerSource: 'UserMigration_ForgotPassword', userName: 'olduser' };
    forgot.request = { password: null, validationData: null, userAttributes: null, clientMetadata: {} };
    const f = await invoke('user-migration', forgot, env);
    assert.equal(f.response.userAttributes.email, 'old@example.com');
    assert.equal(f.response.userAttributes.email_verified, 'true');
    assert.ok(!('sub' in f.response.userAttributes));
    assert.equal(f.response.messageAction, 'SUPPRESS');
    assert.equal(f.response.finalUserStatus, null);
    assert.equal(
      await invokeFails('user-migration', { ...forgot, userName: 'nobody' }, env),
      'User does not exist',
    );
    // OLDREGION wins over the pool id's region (here a wrong one: no such pool there).
    const wrongRegion = await invokeFails('user-migration', signIn('olduser', 'Passw0rd!old'), { ...env, OLDREGION: 'eu-west-1' });
    assert.notEqual(wrongRegion, 'Bad password');
    const right = await invoke('user-migration', signIn('olduser', 'Passw0rd!old'), { ...env, OLDREGION: region });
    assert.equal(right.response.finalUserStatus, 'CONFIRMED');
    assert.match(await invokeFails('user-migration', signIn('olduser', 'x'), { ...env, OLDCLIENTID: undefined }), /OLDCLIENTID/);
    assert.match(await invokeFails('user-migration', signIn('olduser', 'x'), { OLDUSERPOOLID: undefined }), /OLDUSERPOOLID/);
  },
  { emulator: true },
);

// --- Run ----------------------------------------------------------------------
let passed = 0;
let skipped = 0;
const failures = [];
for (const t of tests) {
  if (t.emulator && !endpoint) {
    skipped++;
    console.log(`SKIP ${t.name} (no emulator endpoint)`);
    continue;
  }
  const t0 = Date.now();
  try {
    await t.fn();
    passed++;
    console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
  } catch (err) {
    failures.push(t.name);
    console.log(`FAIL ${t.name}`);
    console.error(`FAIL ${t.name}\n${err && err.stack ? err.stack : err}`);
  }
}
console.log(JSON.stringify({ passed, failed: failures.length, skipped, failures, ms: Date.now() - started }));
process.exit(failures.length ? 1 : 0);
