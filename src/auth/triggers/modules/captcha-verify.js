// VerifyAuthChallengeResponse for Google reCAPTCHA: asks Google's siteverify
// endpoint whether the answer (the captcha token) is valid. Env RECAPTCHASECRET;
// RECAPTCHA_VERIFY_URL overrides the endpoint (for tests).

const VERIFY_URL = 'https://www.google.com/recaptcha/api/siteverify';

exports.handler = async (event) => {
  const secret = process.env.RECAPTCHASECRET;
  if (!secret) throw new Error('RECAPTCHASECRET is not set');
  const url = process.env.RECAPTCHA_VERIFY_URL || VERIFY_URL;
  // Cognito waits 5 seconds for a trigger: give up before that.
  const reply = await fetch(url, {
    method: 'POST',
    body: new URLSearchParams({ secret, response: event.request.challengeAnswer || '' }),
    signal: AbortSignal.timeout(4000),
  });
  if (!reply.ok) throw new Error(`reCAPTCHA verification failed: HTTP ${reply.status}`);
  const result = await reply.json();
  event.response = event.response || {};
  event.response.answerCorrect = result.success === true;
  return event;
};
