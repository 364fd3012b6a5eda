// Browsers drop tab, CR and LF inside a URL and read "\" as "/", so "/\t/evil.example" and "/\evil.example"
// both become "//evil.example": another site. Such values are refused outright rather than cleaned.
const CONTROL_OR_BACKSLASH = /[\p{Cc}\\]/u;

// The target travels in a cookie and in the magic link; a longer one is not a page of this app.
const MAX_LENGTH = 2000;

/**
 * The path (with query and fragment) of `value` when it leads to a page of the app at `appUrl`, else null.
 * Accepts relative paths and absolute URLs with APP_URL's origin; the result is a path the browser cannot
 * read as another host.
 */
export function sameOriginPath(value: unknown, appUrl: string): string | null {
  if (typeof value !== "string" || value.length > MAX_LENGTH || CONTROL_OR_BACKSLASH.test(value)) {
    return null;
  }
  const origin = new URL(appUrl).origin;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return null;
  }
  // "/.//evil.example" resolves to the path "//evil.example", which a browser reads as a host.
  if (url.origin !== origin || url.pathname.startsWith("//")) {
    return null;
  }
  return `${url.pathname}${url.search}${url.hash}`;
}
