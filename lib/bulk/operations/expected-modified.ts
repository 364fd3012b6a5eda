import { z } from "zod";

import { type BulkRowResult, failure } from "./row-result";

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Optional update column: when the row's author last saw the target (the `modified` the API
 * returns), ISO 8601 or `YYYY-MM-DD HH:MM[:SS]` in UTC. A target changed since then is reported
 * as TARGET_CHANGED instead of being overwritten.
 */
export const expectedModifiedCell = z
  .string()
  .transform((raw, ctx) => {
    const value = raw.trim();
    const match = TIMESTAMP.exec(value);
    const instant = match ? new Date(`${match[1]}T${match[2]}${match[3] ?? "Z"}`) : null;
    if (!instant || Number.isNaN(instant.getTime())) {
      ctx.addIssue({
        code: "custom",
        message: `${value} is not a timestamp (use ISO 8601, e.g. 2026-03-01T12:00:00Z)`,
      });
      return z.NEVER;
    }
    return instant;
  })
  .optional()
  .meta({ example: "" });

/** The row's TARGET_CHANGED failure when its target changed after the time the row expected, else null. */
export function staleTarget(
  rowNumber: number,
  target: { key: string; updatedAt: Date },
  expected: Date | undefined,
): BulkRowResult | null {
  if (expected === undefined || target.updatedAt.getTime() <= expected.getTime()) {
    return null;
  }
  return failure(
    rowNumber,
    "TARGET_CHANGED",
    "expected_modified",
    `${target.key} was changed at ${target.updatedAt.toISOString()}, after ${expected.toISOString()} (expected_modified): reload it and merge your change`,
  );
}
