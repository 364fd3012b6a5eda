import sanitizeHtml from "sanitize-html";

/** What Publisher's rich-text editor produces; scripts, styles, event handlers and iframes are dropped. */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "blockquote", "span"],
  allowedAttributes: { a: ["href", "title", "target", "rel"] },
  allowedSchemes: ["http", "https", "mailto"],
};

/** The sanitized HTML, or null when nothing a reader would see is left (e.g. only a `<script>`). */
export function sanitizeRichText(html: string): string | null {
  const clean = sanitizeHtml(html, OPTIONS).trim();
  const visible = sanitizeHtml(clean, { allowedTags: [], allowedAttributes: {} }).trim();
  return visible === "" ? null : clean;
}
