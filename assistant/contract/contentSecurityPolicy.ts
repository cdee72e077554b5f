/**
 * The renderer's Content-Security-Policy, one for both shells: the web shell sends it on every response, the desktop
 * shell on every `app://` response. Only the shell's own origin (`'self'`: `http://127.0.0.1:PORT` or `app://guichet`),
 * no inline script, no eval, no plug-in, no framing, no form posted elsewhere.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
