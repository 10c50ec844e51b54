// UserMigration: moves users from an old user pool on first sign-in or
// forgotten password. Env OLDUSERPOOLID, OLDCLIENTID (an app client of the old
// pool allowing ALLOW_ADMIN_USER_PASSWORD_AUTH, without a secret), OLDREGION
// (optional; default: the region in the old pool id, e.g. us-east-1_abc).

const {
  CognitoIdentityProviderClient,
  AdminInitiateAuthCommand,
  AdminGetUserCommand,
} = require('@aws-sdk/client-cognito-identity-provider');

const clients = new Map();

function oldPool() {
  const poolId = (process.env.OLDUSERPOOLID || '').trim();
  if (!poolId) throw new Error('OLDUSERPOOLID is not set');
  const region = (process.env.OLDREGION || '').trim() || poolId.split('_')[0];
  if (!clients.has(region)) clients.set(region, new CognitoIdentityProviderClient({ region }));
  return { poolId, clientId: (process.env.OLDCLIENTID || '').trim(), client: clients.get(region) };
}

// Cognito's own errors become the messages the sign-in fails with.
function failure(err) {
  if (err.name === 'NotAuthorizedException') return new Error('Bad password');
  if (err.name === 'UserNotFoundException') return new Error('User does not exist');
  return err;
}

// The old user's attributes, as the new pool takes them (sub is the old pool's).
async function oldAttributes(pool, username) {
  let user;
  try {
    user = await pool.client.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: username }));
  } catch (err) {
    throw failure(err);
  }
  const attributes = {};
  for (const { Name, Value } of user.UserAttributes || []) {
    if (Name !== 'sub') attributes[Name] = Value;
  }
  return attributes;
}

exports.handler = async (event) => {
  event.response = event.response || {};
  if (event.triggerSource === 'UserMigration_Authentication') {
    const pool = oldPool();
    if (!pool.clientId) throw new Error('OLDCLIENTID is not set');
    try {
      // Verifies the password against the old pool.
      await pool.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: pool.poolId,
          ClientId: pool.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: event.userName, PASSWORD: event.request.password },
        }),
      );
    } catch (err) {
      throw failure(err);
    }
    event.response.userAttributes = await oldAttributes(pool, event.userName);
    event.response.finalUserStatus = 'CONFIRMED';
    event.response.messageAction = 'SUPPRESS';
  } else if (event.triggerSource === 'UserMigration_ForgotPassword') {
    event.response.userAttributes = await oldAttributes(oldPool(), event.userName);
    event.response.messageAction = 'SUPPRESS';
  }
  return event;
};
