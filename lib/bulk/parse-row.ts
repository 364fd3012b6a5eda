import type { z } from "zod";

export type RowParseResult<Row> =
  | { ok: true; row: Row }
  | { ok: false; code: "MISSING_REQUIRED_DATA" | "INVALID_VALUE"; column: string; message: string };

/**
 * Validates one row's cells (keyed by normalized column name) against an operation's row schema.
 * Blank cells count as absent, so a required column with a blank cell reports MISSING_REQUIRED_DATA.
 */
export function parseRow<Schema extends z.ZodObject>(
  schema: Schema,
  cells: Record<string, string>,
): RowParseResult<z.infer<Schema>> {
  const input: Record<string, string> = {};
  for (const column of Object.keys(schema.shape)) {
    const value = cells[column]?.trim();
    if (value) {
      input[column] = unneutralize(value);
    }
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) {
    return { ok: true, row: parsed.data };
  }
  const issue = parsed.error.issues[0];
  const column = String(issue.path[0] ?? "");
  if (input[column] === undefined && column !== "") {
    return { ok: false, code: "MISSING_REQUIRED_DATA", column, message: `${column} is required` };
  }
  return { ok: false, code: "INVALID_VALUE", column, message: issue.message };
}

/** Columns whose schema rejects an absent value. */
export function requiredColumns(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([column]) => column);
}

/** Undoes the apostrophe `writeCsv` puts before formula-like cells, so an exported file uploads unchanged. */
function unneutralize(value: string) {
  return value.length > 1 && value[0] === "'" && "=+-@\t\r".includes(value[1]) ? value.slice(1) : value;
}
