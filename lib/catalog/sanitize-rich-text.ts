import sanitizeHtml from "sanitize-html";

/** What Publisher's rich-text editor produces; scripts, styles, event handlers and iframes are dropped. */
export const RICH_TEXT_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "span",
  ],
  allowedAttributes: { a: ["href", "title", "target", "rel"] },
  allowedSchemes: ["http", "https", "mailto"],
};

/** The sanitized HTML, or null when nothing a reader would see is left (e.g. only a `<script>`). */
export function sanitizeRichText(html: string): string | null {
  const simple = alreadyClean(html);
  if (simple !== undefined) {
    return simple;
  }
  const clean = sanitizeHtml(html, RICH_TEXT_OPTIONS).trim();
  const visible = sanitizeHtml(clean, { allowedTags: [], allowedAttributes: {} }).trim();
  return visible === "" ? null : clean;
}

// Bulk files carry rich text in every row, and sanitize-html costs tens of microseconds a cell. Most
// cells are plain markup it would give back unchanged: allowed tags without attributes, properly
// nested in ways the HTML parser does not restructure (no block inside a paragraph, only items in a
// list), and text without `&`, `<` or `>`, which it would escape or decode. Those are recognised here;
// everything else goes through sanitize-html.
const INLINE = new Set(["strong", "b", "em", "i", "u", "span"]);
const TEXT_BLOCKS = new Set(["p", "h1", "h2", "h3", "h4", "li"]);
const LISTS = new Set(["ul", "ol"]);
const TAG = /<(\/?)([a-z0-9]+)>/g;

/** What an element may directly contain; the top level also allows blocks and lists. */
function mayContain(parent: string | undefined, child: string): boolean {
  if (parent === undefined || parent === "blockquote") {
    return (
      INLINE.has(child) ||
      (child !== "li" && TEXT_BLOCKS.has(child)) ||
      (parent === undefined && (LISTS.has(child) || child === "blockquote"))
    );
  }
  if (LISTS.has(parent)) {
    return child === "li";
  }
  return INLINE.has(child);
}

/** sanitizeRichText's result for markup sanitize-html would return unchanged; undefined when not sure. */
function alreadyClean(html: string): string | null | undefined {
  const stack: string[] = [];
  let visible = "";
  let at = 0;
  const text = (end: number) => {
    const segment = html.slice(at, end);
    if (/[&<>]/.test(segment)) {
      return false;
    }
    const parent = stack[stack.length - 1];
    if (parent !== undefined && LISTS.has(parent) && segment.trim() !== "") {
      return false;
    }
    visible += segment;
    return true;
  };
  TAG.lastIndex = 0;
  for (let match = TAG.exec(html); match; match = TAG.exec(html)) {
    if (!text(match.index)) {
      return undefined;
    }
    at = TAG.lastIndex;
    const [, closing, name] = match;
    if (closing) {
      if (stack.pop() !== name) {
        return undefined;
      }
    } else if (name === "blockquote" || LISTS.has(name) || TEXT_BLOCKS.has(name) || INLINE.has(name)) {
      if (!mayContain(stack[stack.length - 1], name)) {
        return undefined;
      }
      stack.push(name);
    } else {
      return undefined;
    }
  }
  if (!text(html.length) || stack.length > 0) {
    return undefined;
  }
  return visible.trim() === "" ? null : html.trim();
}
