/** Largest server-action body (next.config.ts `serverActions.bodySizeLimit`, also checked in proxy.ts). */
export const SERVER_ACTION_MAX_BODY_BYTES = 1024 * 1024;

/** `attachment` header safe for any file name (RFC 6266: ASCII fallback plus UTF-8 name). */
export function contentDisposition(fileName: string) {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** A size for messages: "50 bytes", "100 KB", "50.0 MB". */
export function formatBytes(bytes: number) {
  if (bytes < 1024) {
    return `${bytes} bytes`;
  }
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * The Content-Security-Policy of every page. Scripts and style elements run only with the request's
 * nonce (Next puts it on its own); `'strict-dynamic'` lets those load the chunks they need. Style
 * attributes stay allowed: React renders `style` props as attributes (the progress bar's width). Images
 * may come from anywhere: course images are URLs from the catalog. Development adds what Next's dev mode
 * needs (eval for React's error overlay, inline styles for the overlay itself).
 */
export function pageContentSecurityPolicy(nonce: string, { development }: { development: boolean }) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' ${development ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob: https: http:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
