/** Parameter values for the raw SQL of the list queries. */

/** An ILIKE pattern matching `text` anywhere, with `%`, `_` and `\` in it taken literally (backslash escapes). */
export function substringPattern(text: string) {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Largest offset passed to a query: past the end of any list, and a whole number a parameter can carry. */
const MAX_OFFSET = 2 ** 31 - 1;

/** Rows before `page` (1-based) of `pageSize` rows; any page number, however large, is simply past the end. */
export function pageOffset(page: number, pageSize: number) {
  return Math.min((page - 1) * pageSize, MAX_OFFSET);
}
