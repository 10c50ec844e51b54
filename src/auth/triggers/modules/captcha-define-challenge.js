// DefineAuthChallenge for Google reCAPTCHA: password (SRP) first, then the
// captcha as the custom challenge. A captcha proves no identity, so a flow
// without the password step fails. A failed captcha gets a new one; the third
// failure fails the sign-in.

const MAX_ATTEMPTS = 3;

function next(session) {
  if (session.length === 0 || session[0].challengeName !== 'SRP_A') return 'fail';
  if (session.length === 1) return { challengeName: 'PASSWORD_VERIFIER' };
  const password = session[1];
  if (password.challengeName !== 'PASSWORD_VERIFIER' || password.challengeResult !== true) return 'fail';
  const rest = session.slice(2);
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
