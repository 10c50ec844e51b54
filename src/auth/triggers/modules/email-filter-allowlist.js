// PreSignup: accepts only sign-ups whose email domain is in env DOMAINALLOWLIST
// (comma-delimited, case-insensitive, exact domain: subdomains are not matched).
// A sign-up without an email address is rejected.

function domainList(text) {
  return (text || '')
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
}

exports.handler = async (event) => {
  const email = ((event.request && event.request.userAttributes) || {}).email;
  if (!email) throw new Error('Invalid email domain: an email address is required');
  const domain = email.slice(email.lastIndexOf('@') + 1).trim();
  if (!domainList(process.env.DOMAINALLOWLIST).includes(domain.toLowerCase())) {
    throw new Error(`Invalid email domain: ${domain}`);
  }
  return event;
};
