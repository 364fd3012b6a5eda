import sanitizeHtml from "sanitize-html";
import { describe, expect, it } from "vitest";

import { RICH_TEXT_OPTIONS, sanitizeRichText } from "@/lib/catalog/sanitize-rich-text";

// sanitizeRichText skips sanitize-html for markup it would return unchanged; whatever the path, the
// result must be exactly what sanitize-html gives.
function bySanitizeHtml(html: string) {
  const clean = sanitizeHtml(html, RICH_TEXT_OPTIONS).trim();
  return sanitizeHtml(clean, { allowedTags: [], allowedAttributes: {} }).trim() === "" ? null : clean;
}

const CASES = [
  "<p>Learn data science step by step.</p>",
  "  <p>Padded</p>\n",
  "<ul><li>Cleaning data</li><li>Visualisation</li></ul>",
  "<ul>\n  <li>a</li>\n</ul>",
  "<h2>Title</h2><p><strong>Bold</strong> and <em>italic</em></p>",
  "<blockquote><p>Quoted</p></blockquote>",
  "<p></p>",
  "<p> </p>",
  "plain text",
  "",
  "<p>a & b</p>",
  "<p>1 &lt; 2</p>",
  "<p>x > y</p>",
  "<p>a<br>b</p>",
  "<P>upper</P>",
  '<p class="x">attribute</p>',
  '<a href="https://example.com">link</a>',
  "<p>unclosed",
  "stray</p>",
  "<p><p>nested</p></p>",
  "<p>a<ul><li>list in paragraph</li></ul></p>",
  "<ul>text<li>item</li></ul>",
  "<li>item outside a list</li>",
  "<ul><li><ul><li>nested list</li></ul></li></ul>",
  "<span><span>x</span></span>",
  "<script>alert(1)</script>",
  "<p>ok</p><script>alert(1)</script>",
  "<div>not allowed</div>",
  "<!-- comment --><p>x</p>",
  "<p>naïve café — “quotes” ‘single’</p>",
];

describe("sanitizeRichText", () => {
  it.each(CASES)("gives what sanitize-html gives for %j", (html) => {
    expect(sanitizeRichText(html)).toBe(bySanitizeHtml(html));
  });
});
