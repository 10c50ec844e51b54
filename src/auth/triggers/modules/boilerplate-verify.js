// VerifyAuthChallengeResponse: the answer is correct when it equals the one
// CreateAuthChallenge kept in privateChallengeParameters.

exports.handler = async (event) => {
  const expected = ((event.request && event.request.privateChallengeParameters) || {}).answer;
  event.response = event.response || {};
  // No expected answer (the challenge was not ours): never correct.
  event.response.answerCorrect =
    typeof expected === 'string' && expected !== '' && event.request.challengeAnswer === expected;
  return event;
};
