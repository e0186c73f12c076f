// SMS_URL: where text messages go. Two shapes, named by the URL:
//   twilio+https://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com   a Twilio-compatible Messages API
//     (a form-encoded POST to /2010-04-01/Accounts/{SID}/Messages.json with basic auth);
//     the account SID and token are the URL's user and password.
//   https://sms.example.com/send                            a generic JSON webhook
//     (POST {"to","body","id"}; SMS_WEBHOOK_TOKEN, when set, as a bearer token).
// `http` instead of `https` is accepted for a gateway on the same host or network.
import { ConfigError } from './parsers.js';

export type SmsGatewayConfig =
  | { kind: 'twilio'; baseUrl: string; accountSid: string; authToken: string }
  | { kind: 'webhook'; url: string };

const EXPECTED =
  'twilio+https://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com (a Twilio-compatible Messages API) or an http(s):// URL of a JSON webhook';

export function parseSmsUrl(key: string, raw: string): SmsGatewayConfig {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(key, EXPECTED);
  }
  if (u.protocol === 'twilio+https:' || u.protocol === 'twilio+http:') {
    const accountSid = decodeURIComponent(u.username);
    const authToken = decodeURIComponent(u.password);
    if (!accountSid || !authToken || !u.hostname) throw new ConfigError(key, EXPECTED);
    const scheme = u.protocol === 'twilio+https:' ? 'https' : 'http';
    return { kind: 'twilio', baseUrl: `${scheme}://${u.host}`, accountSid, authToken };
  }
  if (u.protocol === 'https:' || u.protocol === 'http:') {
    // A secret in the URL would be logged wherever URLs are: the token has its own key.
    if (u.username || u.password) throw new ConfigError(key, `${EXPECTED}, without user or password (use SMS_WEBHOOK_TOKEN)`);
    return { kind: 'webhook', url: u.toString() };
  }
  throw new ConfigError(key, EXPECTED);
}

/** Twilio wants an E.164 number, a short code or an alphanumeric sender ID (at most 11 characters). */
export function parseSmsFrom(key: string, raw: string): string {
  if (!/^(\+[1-9]\d{6,14}|\d{3,8}|[A-Za-z0-9 ]{1,11})$/.test(raw)) {
    throw new ConfigError(key, 'a sender: an E.164 number such as +15005550006, a short code, or up to 11 letters and digits');
  }
  return raw;
}
