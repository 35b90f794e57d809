// Which links may leave the console for the operator's browser. Review texts,
// refund reasons and trainer names are written by strangers, so a link in
// them is untrusted: only http(s) to a host on the allow-list opens, and the
// list is empty unless the shell is given one. Everything else (javascript:,
// file:, data:, custom schemes that launch other programs) goes nowhere.
export function isAllowedExternal(url: string, allowList: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  // Credentials in a link (https://stripe.com@evil.example) are a phishing trick, never ours.
  if (parsed.username || parsed.password) return false;
  const host = parsed.hostname.toLowerCase();
  return allowList.some((allowed) => host === allowed.toLowerCase());
}
