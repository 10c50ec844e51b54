// CreateAuthChallenge for Google reCAPTCHA: tells the client to show a captcha
// and send its token as the answer (checked by captcha-verify).

exports.handler = async (event) => {
  if (event.request.challengeName !== 'CUSTOM_CHALLENGE') return event;
  event.response = event.response || {};
  event.response.publicChallengeParameters = { captcha: 'true' };
  event.response.privateChallengeParameters = {};
  event.response.challengeMetadata = 'CAPTCHA_CHALLENGE';
  return event;
};
