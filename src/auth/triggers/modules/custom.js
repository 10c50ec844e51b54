// Your own trigger code. The event's shape for each trigger (request, response,
// triggerSource) is documented at
// https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-identity-pools-working-with-aws-lambda-triggers.html
// and a sample is in this function's src/event.json.

exports.handler = async (event, context) => {
  // Read event.request, set event.response, or throw an Error to stop the flow.
  return event;
};
