/** `<n>T<year>` from a start date (UTC): n = 1 for January–April, 2 for May–August, 3 for September–December. */
export function termOf(start: Date): string {
  return `${Math.floor(start.getUTCMonth() / 4) + 1}T${start.getUTCFullYear()}`;
}

/** `course-v1:<ORG>+<NUMBER>+<RUN>` */
export function runKey(courseKey: string, run: string): string {
  return `course-v1:${courseKey}+${run}`;
}

/** `<ORG>+<NUMBER>` of a run key. */
export function courseKeyOfRun(courseRunKey: string): string | null {
  const match = /^course-v1:([^+]+\+[^+]+)\+[^+]+$/.exec(courseRunKey);
  return match ? match[1] : null;
}

/**
 * The first free run name for a term among `taken` run keys: `1T2025`, then `1T2025a`, `1T2025b`, …
 */
export function freeRunKey(courseKey: string, start: Date, taken: Set<string>): string {
  const term = termOf(start);
  for (let i = -1; i < 26 * 27; i++) {
    const suffix =
      i < 0
        ? ""
        : i < 26
          ? String.fromCharCode(97 + i)
          : `${String.fromCharCode(97 + Math.floor(i / 26) - 1)}${String.fromCharCode(97 + (i % 26))}`;
    const key = runKey(courseKey, `${term}${suffix}`);
    if (!taken.has(key)) {
      return key;
    }
  }
  throw new Error(`No free run key left for ${courseKey} in ${term}`);
}
