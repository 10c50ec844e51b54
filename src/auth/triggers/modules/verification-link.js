// CustomMessage: for sign-up and resent codes, sends a link to env REDIRECTURL
// carrying username, code, clientId and region; the app there confirms the
// sign-up (ConfirmSignUp) with them. Env EMAILSUBJECT, EMAILMESSAGE.

const SOURCES = ['CustomMessage_SignUp', 'CustomMessage_ResendCode'];

// Cognito replaces its placeholder (codeParameter, "{####}") in the message
// text, so the placeholder is kept as is; everything else is percent-encoded.
function encodeValue(value, placeholder) {
  const text = String(value == null ? '' : value);
  if (!placeholder) return encodeURIComponent(text);
  return text.split(placeholder).map(encodeURIComponent).join(placeholder);
}

function confirmationLink(base, params, placeholder) {
  let url;
  try {
    url = new URL(base);
  } catch (err) {
    throw new Error(`REDIRECTURL is not a valid URL: ${base}`);
  }
  const hash = url.hash;
  url.hash = '';
  const query = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeValue(v, placeholder)}`)
    .join('&');
  const href = url.href;
  const sep = url.search ? '&' : href.endsWith('?') ? '' : '?';
  return `${href}${sep}${query}${hash}`;
}

exports.handler = async (event) => {
  if (!SOURCES.includes(event.triggerSource)) return event;
  const code = event.request.codeParameter;
  const link = confirmationLink(
    process.env.REDIRECTURL,
    {
      username: event.userName,
      code,
      clientId: (event.callerContext || {}).clientId,
      region: event.region,
    },
    code,
  );
  const message = [process.env.EMAILMESSAGE, link].filter(Boolean).join(' ');
  event.response = event.response || {};
  if (process.env.EMAILSUBJECT) event.response.emailSubject = process.env.EMAILSUBJECT;
  event.response.emailMessage = message;
  event.response.smsMessage = message;
  return event;
};
