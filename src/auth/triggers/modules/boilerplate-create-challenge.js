// CreateAuthChallenge: the custom challenge's answer is env CHALLENGEANSWER
// when set, else a random 6-digit code (deliver it to the user yourself, e.g.
// by email, in a module of your own).

const crypto = require('node:crypto');

exports.handler = async (event) => {
  if (event.request.challengeName !== 'CUSTOM_CHALLENGE') return event;
  const answer =
    process.env.CHALLENGEANSWER || String(crypto.randomInt(0, 1000000)).padStart(6, '0');
  event.response = event.response || {};
  event.response.publicChallengeParameters = { trigger: 'true' };
  event.response.privateChallengeParameters = { answer };
  event.response.challengeMetadata = 'CUSTOM_CHALLENGE';
  return event;
};
