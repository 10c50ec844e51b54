// PostConfirmation: adds the confirmed user to the group named by env GROUP,
// creating the group first when it does not exist yet.

const {
  CognitoIdentityProviderClient,
  GetGroupCommand,
  CreateGroupCommand,
  AdminAddUserToGroupCommand,
} = require('@aws-sdk/client-cognito-identity-provider');

// Region, endpoint and credentials come from the Lambda environment.
const client = new CognitoIdentityProviderClient({});

async function ensureGroup(UserPoolId, GroupName) {
  try {
    await client.send(new GetGroupCommand({ UserPoolId, GroupName }));
    return;
  } catch (err) {
    if (err.name !== 'ResourceNotFoundException') throw err;
  }
  try {
    await client.send(new CreateGroupCommand({ UserPoolId, GroupName }));
  } catch (err) {
    // Another sign-up created it in the meantime.
    if (err.name !== 'GroupExistsException') throw err;
  }
}

exports.handler = async (event) => {
  const GroupName = (process.env.GROUP || '').trim();
  if (!GroupName) throw new Error('GROUP is not set');
  await ensureGroup(event.userPoolId, GroupName);
  await client.send(
    new AdminAddUserToGroupCommand({
      UserPoolId: event.userPoolId,
      Username: event.userName,
      GroupName,
    }),
  );
  return event;
};
