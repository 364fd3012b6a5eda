/** A page's query string as Next passes it: each parameter once, repeated, or absent. */
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;
