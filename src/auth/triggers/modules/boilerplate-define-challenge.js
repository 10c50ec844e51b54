// DefineAuthChallenge: password (SRP) then one custom challenge, or the custom
// challenge alone (CUSTOM_AUTH without SRP). A wrong answer gets a new
// challenge; the third wrong answer fails the sign-in.

const MAX_ATTEMPTS = 3;

function next(session) {
  let rest = session;
  if (session.length > 0 && session[0].challengeName === 'SRP_A') {
    if (session.length === 1) return { challengeName: 'PASSWORD_VERIFIER' };
    const password = session[1];
    if (password.challengeName !== 'PASSWORD_VERIFIER' || password.challengeResult !== true) return 'fail';
    rest = session.slice(2);
  }
  // From here on, only custom challenges.
  if (rest.some((s) => s.challengeName !== 'CUSTOM_CHALLENGE')) return 'fail';
  if (rest.length === 0) return { challengeName: 'CUSTOM_CHALLENGE' };
  if (rest[rest.length - 1].challengeResult === true) return 'tokens';
  if (rest.length >= MAX_ATTEMPTS) return 'fail';
  return { challengeName: 'CUSTOM_CHALLENGE' };
}

exports.handler = async (event) => {
  const step = next((event.request && event.request.session) || []);
  event.response = event.response || {};
  event.response.issueTokens = step === 'tokens';
  event.response.failAuthentication = step === 'fail';
  if (typeof step === 'object') event.response.challengeName = step.challengeName;
  return event;
};
