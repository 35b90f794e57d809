// The console page's Content-Security-Policy, sent as a header by whatever
// serves the renderer (Electron's app:// protocol, the browser bridge).
// Review texts, refund reasons and names are untrusted: nothing but our own
// bundle may run, no plugin, no <base> rewrite, no form posting anywhere.
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
].join('; ');
