import { z } from "zod";

import { restoreFormula } from "./write-csv";

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
  const row = parseValidRow(planFor(schema), cells);
  if (row) {
    return { ok: true, row: row as z.infer<Schema> };
  }
  // Invalid (or not provably valid): the whole schema decides, and names the first problem.
  const input: Record<string, string> = {};
  for (const column of Object.keys(schema.shape)) {
    const value = cellText(cells, column);
    if (value !== undefined) {
      input[column] = value;
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

/** A cell's text as the schema sees it, or undefined when blank. */
function cellText(cells: Record<string, string>, column: string): string | undefined {
  const value = cells[column]?.trim();
  // Undoes the apostrophe `writeCsv` puts before formula-like cells, so an exported file uploads unchanged.
  return value ? restoreFormula(value) : undefined;
}

// Validation runs on every row of 100,000-row files, twice (when stored, and again when applied), and
// parsing a whole row object through zod costs tens of microseconds. Rows are overwhelmingly valid and
// their cells repeat (dates, tracks, subjects, prices), so a valid row is assembled from its cells'
// results, each column's schema run once per distinct short value, and then the object's own checks
// (superRefine) run on the result. The outcome equals `schema.safeParse` because the column parsers
// are pure functions of the cell text. Any failure goes back to `schema.safeParse`, which reports it.

type CellResult = { ok: true; value: unknown } | { ok: false };

interface ColumnPlan {
  name: string;
  schema: z.ZodType;
  /** What an absent cell contributes, as the object schema treats it: nothing, a failure, or a value. */
  absent: "skip" | "fail" | { value: unknown };
  /** Results by cell text, for short texts; emptied when full, so it holds the values seen lately. */
  memo: Map<string, CellResult>;
}

interface RowPlan {
  columns: Map<string, ColumnPlan>;
  /** Columns whose absence is not simply "nothing": required ones, or ones with a default. */
  absentMatters: ColumnPlan[];
  /** The object's own checks, run on an assembled row. */
  checks: z.ZodType | null;
}

const MEMO_VALUES_PER_COLUMN = 5_000;
const MEMO_MAX_CELL_LENGTH = 64;

const plans = new WeakMap<z.ZodObject, RowPlan>();

function planFor(schema: z.ZodObject): RowPlan {
  let plan = plans.get(schema);
  if (!plan) {
    const columns = Object.entries(schema.shape).map(([name, field]): ColumnPlan => {
      const column = field as z.ZodType;
      return { name, schema: column, absent: absentCell(column), memo: new Map() };
    });
    const objectChecks = (schema.def.checks ?? []) as z.core.$ZodCheck<unknown>[];
    plan = {
      columns: new Map(columns.map((c) => [c.name, c])),
      absentMatters: columns.filter((c) => c.absent !== "skip"),
      checks: objectChecks.length > 0 ? z.unknown().check(...objectChecks) : null,
    };
    plans.set(schema, plan);
  }
  return plan;
}

/** Mirrors how a zod object handles a missing key for this column's schema. */
function absentCell(column: z.ZodType): ColumnPlan["absent"] {
  const { optin, optout } = column._zod;
  if (optin === undefined) {
    return "fail";
  }
  if (optin === "optional" && optout === "optional") {
    return "skip";
  }
  const parsed = column.safeParse(undefined);
  if (!parsed.success) {
    return "fail";
  }
  return optin === "defaulted" || parsed.data !== undefined ? { value: parsed.data } : "skip";
}

/** The parsed row when every cell and the object's checks pass; undefined otherwise. */
function parseValidRow(plan: RowPlan, cells: Record<string, string>): Record<string, unknown> | undefined {
  const row: Record<string, unknown> = {};
  // A row names a fraction of the schema's columns: walk its cells, then settle the absent ones.
  for (const name in cells) {
    const column = plan.columns.get(name);
    const text = column && cellText(cells, name);
    if (text === undefined) {
      continue;
    }
    const result = parseCell(column!, text);
    if (!result.ok) {
      return undefined;
    }
    row[name] = result.value;
  }
  for (const column of plan.absentMatters) {
    if (!(column.name in row)) {
      if (column.absent === "fail") {
        return undefined;
      }
      row[column.name] = (column.absent as { value: unknown }).value;
    }
  }
  if (plan.checks && !plan.checks.safeParse(row).success) {
    return undefined;
  }
  return row;
}

function parseCell(column: ColumnPlan, text: string): CellResult {
  const { memo } = column;
  const known = memo.get(text);
  if (known) {
    return known;
  }
  const parsed = column.schema.safeParse(text);
  const result: CellResult = parsed.success ? { ok: true, value: parsed.data } : { ok: false };
  // Only immutable values are shared between rows: a list or a date stays each row's own.
  if (text.length <= MEMO_MAX_CELL_LENGTH && (!parsed.success || isPrimitive(parsed.data))) {
    if (memo.size >= MEMO_VALUES_PER_COLUMN) {
      memo.clear();
    }
    memo.set(text, result);
  }
  return result;
}

function isPrimitive(value: unknown) {
  return value === null || (typeof value !== "object" && typeof value !== "function");
}
