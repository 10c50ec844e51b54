// PreTokenGeneration: overrides ID token claims. Env CLAIMSTOADD is a JSON
// object of claim name -> string value (default {}), env CLAIMSTOSUPPRESS a
// comma-delimited list of claim names to remove.

function claimsToAdd(text) {
  let claims;
  try {
    claims = JSON.parse(text && text.trim() ? text : '{}');
  } catch (err) {
    throw new Error(`CLAIMSTOADD is not valid JSON: ${err.message}`);
  }
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) {
    throw new Error('CLAIMSTOADD must be a JSON object of claim names to string values');
  }
  for (const [name, value] of Object.entries(claims)) {
    if (typeof value !== 'string') {
      throw new Error(`CLAIMSTOADD: the value of claim '${name}' must be a string`);
    }
  }
  return claims;
}

exports.handler = async (event) => {
  const claimsToAddOrOverride = claimsToAdd(process.env.CLAIMSTOADD);
  const claimsToSuppress = (process.env.CLAIMSTOSUPPRESS || '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  event.response = event.response || {};
  event.response.claimsOverrideDetails = {
    ...(event.response.claimsOverrideDetails || {}),
    claimsToAddOrOverride,
    claimsToSuppress,
  };
  return event;
};
