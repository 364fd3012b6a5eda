import "server-only";

import { sanitizeRichText } from "@/lib/catalog/sanitize-rich-text";

/**
 * Course rich text. Writers sanitize on the way in; sanitizing again here keeps the page safe from rows written
 * by anything else (seed scripts, manual SQL).
 */
export function RichText({ html }: { html: string | null }) {
  if (!html) {
    return <span className="muted">—</span>;
  }
  return <div className="rich-text" dangerouslySetInnerHTML={{ __html: sanitizeRichText(html) ?? "" }} />;
}
