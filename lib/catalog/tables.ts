import "server-only";

import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Set-based writes for the bulk pipeline. Prisma's query builder writes row by row (or `createMany`
 * without RETURNING); a chunk of thousands of rows goes in as one statement per table, its columns
 * as array parameters expanded by `unnest`.
 */
type SqlType =
  | "text"
  | "text[]"
  | "integer"
  | "boolean"
  | "timestamp(3)"
  | "numeric(10,2)"
  | '"CourseRunStatus"'
  | '"Pacing"'
  | '"BulkRowStatus"'
  | "jsonb";

type TableSpec<Row> = { name: string; columns: { [K in keyof Row]-?: SqlType } };

export type Tx = Prisma.TransactionClient;

/**
 * What the set-based writers need: Prisma's raw API, which a Prisma transaction has, and which
 * `inTransaction` (./sql-pool) gives a plain pg connection.
 */
export interface RawSql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

export interface CourseInsert {
  id: string;
  key: string;
  title: string;
  urlSlug: string;
  shortDescription: string | null;
  fullDescription: string | null;
  outcome: string | null;
  syllabus: string | null;
  prerequisites: string | null;
  faq: string | null;
  learnerTestimonials: string | null;
  additionalInformation: string | null;
  imageUrl: string | null;
  videoUrl: string | null;
  levelTypeId: string | null;
  primarySubjectId: string | null;
  secondarySubjectId: string | null;
  tertiarySubjectId: string | null;
  collaborators: string[];
  topics: string[];
  watchers: string[];
  courseTypeId: string;
  enterpriseSubscriptionInclusion: boolean | null;
  createdAt: Date;
  updatedAt: Date;
}

export const courseTable: TableSpec<CourseInsert> = {
  name: "Course",
  columns: {
    id: "text",
    key: "text",
    title: "text",
    urlSlug: "text",
    shortDescription: "text",
    fullDescription: "text",
    outcome: "text",
    syllabus: "text",
    prerequisites: "text",
    faq: "text",
    learnerTestimonials: "text",
    additionalInformation: "text",
    imageUrl: "text",
    videoUrl: "text",
    levelTypeId: "text",
    primarySubjectId: "text",
    secondarySubjectId: "text",
    tertiarySubjectId: "text",
    collaborators: "text[]",
    topics: "text[]",
    watchers: "text[]",
    courseTypeId: "text",
    enterpriseSubscriptionInclusion: "boolean",
    createdAt: "timestamp(3)",
    updatedAt: "timestamp(3)",
  },
};

export interface CourseOrganizationInsert {
  courseId: string;
  organizationId: string;
}

export const courseOrganizationTable: TableSpec<CourseOrganizationInsert> = {
  name: "CourseOrganization",
  columns: { courseId: "text", organizationId: "text" },
};

export interface CourseRunInsert {
  id: string;
  key: string;
  courseId: string;
  status: "unpublished" | "review_by_legal" | "review_by_internal" | "reviewed" | "published";
  start: Date | null;
  end: Date | null;
  enrollmentStart: Date | null;
  enrollmentEnd: Date | null;
  goLiveDate: Date | null;
  pacing: "instructor_paced" | "self_paced" | null;
  runTypeId: string;
  minEffort: number | null;
  maxEffort: number | null;
  weeksToComplete: number | null;
  contentLanguage: string | null;
  transcriptLanguages: string[];
  staff: string[];
  expectedProgramType: string | null;
  expectedProgramName: string | null;
  upgradeDeadlineOverride: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const courseRunTable: TableSpec<CourseRunInsert> = {
  name: "CourseRun",
  columns: {
    id: "text",
    key: "text",
    courseId: "text",
    status: '"CourseRunStatus"',
    start: "timestamp(3)",
    end: "timestamp(3)",
    enrollmentStart: "timestamp(3)",
    enrollmentEnd: "timestamp(3)",
    goLiveDate: "timestamp(3)",
    pacing: '"Pacing"',
    runTypeId: "text",
    minEffort: "integer",
    maxEffort: "integer",
    weeksToComplete: "integer",
    contentLanguage: "text",
    transcriptLanguages: "text[]",
    staff: "text[]",
    expectedProgramType: "text",
    expectedProgramName: "text",
    upgradeDeadlineOverride: "timestamp(3)",
    createdAt: "timestamp(3)",
    updatedAt: "timestamp(3)",
  },
};

export interface SeatInsert {
  id: string;
  runId: string;
  type: string;
  price: string;
  currency: string;
  upgradeDeadline: Date | null;
}

export const seatTable: TableSpec<SeatInsert> = {
  name: "Seat",
  columns: {
    id: "text",
    runId: "text",
    type: "text",
    price: "numeric(10,2)",
    currency: "text",
    upgradeDeadline: "timestamp(3)",
  },
};

export interface CourseEditorInsert {
  id: string;
  userId: string;
  courseId: string;
  createdAt: Date;
}

export const courseEditorTable: TableSpec<CourseEditorInsert> = {
  name: "CourseEditor",
  columns: { id: "text", userId: "text", courseId: "text", createdAt: "timestamp(3)" },
};

export interface BulkOperationRowInsert {
  id: string;
  operationId: string;
  rowNumber: number;
  status: "pending" | "failed";
  data: Record<string, string>;
  targetKey: string | null;
  errorCode: string | null;
  errorColumn: string | null;
  errorMessage: string | null;
}

export const bulkOperationRowTable: TableSpec<BulkOperationRowInsert> = {
  name: "BulkOperationRow",
  columns: {
    id: "text",
    operationId: "text",
    rowNumber: "integer",
    status: '"BulkRowStatus"',
    data: "jsonb",
    targetKey: "text",
    errorCode: "text",
    errorColumn: "text",
    errorMessage: "text",
  },
};

/** The outcome of one row, written back in one statement per chunk. */
export interface BulkRowResult {
  rowNumber: number;
  status: "created" | "updated" | "unchanged" | "failed";
  targetKey: string | null;
  errorCode: string | null;
  errorColumn: string | null;
  errorMessage: string | null;
  courseId: string | null;
  courseRunId: string | null;
  changes: Record<string, { before: unknown; after: unknown }> | null;
}

/**
 * The rows as a relation `r` with the spec's columns, for `INSERT … SELECT` and `UPDATE … FROM`: one
 * array parameter per column expanded by `unnest`, or a single parameter when every row has the same
 * value (timestamps, the operation, the uploader). Column-wise, values travel without their keys,
 * which halves what a chunk sends compared with one JSON document per row. A JSON column travels as
 * one JSON array, picked apart by row position, which spares escaping each document as an array item.
 */
function rowsSource<Row>(table: TableSpec<Row>, rows: Row[], firstParam = 1): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const arrays: string[] = [];
  const documents: string[] = [];
  const selected: string[] = [];
  const nextParam = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  for (const [column, type] of Object.entries(table.columns) as [string, SqlType][]) {
    const raw = rows.map((row) => (row as Record<string, unknown>)[column] ?? null);
    if (type === "jsonb" && raw.some((v) => v !== null)) {
      documents.push(`(SELECT ${nextParam(JSON.stringify(raw))}::jsonb AS j) AS d${documents.length + 1}`);
      selected.push(`NULLIF(d${documents.length}.j -> (u.n - 1)::int, 'null'::jsonb) AS "${column}"`);
      continue;
    }
    const values = raw.map((v) => toParam(v, type));
    // Lists travel as their text form and are cast row by row.
    const element = type === "text[]" || type === "jsonb" ? "text" : type;
    const cast = element === type ? "" : `::${type}`;
    if (values.every((v) => v === values[0])) {
      selected.push(`${nextParam(values[0])}::${element}${cast} AS "${column}"`);
    } else {
      // Sent as one array literal: pg's own array encoding escapes item by item, several times slower.
      arrays.push(`${nextParam(arrayLiteral(values))}::${element}[]`);
      selected.push(`u.c${arrays.length}${cast} AS "${column}"`);
    }
  }
  const from = arrays.length
    ? `unnest(${arrays.join(", ")}) WITH ORDINALITY AS u(${arrays.map((_, i) => `c${i + 1}`).join(", ")}, n)`
    : `generate_series(1, ${rows.length}) AS u(n)`;
  return { sql: `(SELECT ${selected.join(", ")} FROM ${[from, ...documents].join(", ")}) AS r`, params };
}

/** A value as its parameter: dates as UTC ISO text (the columns are UTC `timestamp`), lists as text. */
function toParam(value: unknown, type: SqlType): string | number | boolean | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (type === "text[]") {
    return arrayLiteral(value as (string | null)[]);
  }
  return value as string | number | boolean;
}

/** A PostgreSQL array literal: every item quoted, `"` and `\\` escaped, null as NULL. */
function arrayLiteral(items: readonly (string | number | boolean | null)[]) {
  const quoted = items.map((item) => {
    if (item === null) {
      return "NULL";
    }
    const text = String(item);
    return text.includes('"') || text.includes("\\") ? `"${text.replace(/(["\\])/g, "\\$1")}"` : `"${text}"`;
  });
  return `{${quoted.join(",")}}`;
}

/**
 * Inserts every row in one statement; rows that hit a unique constraint are skipped.
 * Returns the value of `returning` for the rows actually inserted.
 */
export async function insertRows<Row, K extends keyof Row & string>(
  tx: RawSql,
  table: TableSpec<Row>,
  rows: Row[],
  options: { returning: K },
): Promise<Row[K][]>;
export async function insertRows<Row>(tx: RawSql, table: TableSpec<Row>, rows: Row[]): Promise<void>;
export async function insertRows<Row>(
  tx: RawSql,
  table: TableSpec<Row>,
  rows: Row[],
  options?: { returning: keyof Row & string },
): Promise<unknown[] | void> {
  if (rows.length === 0) {
    return options ? [] : undefined;
  }
  const columns = Object.keys(table.columns)
    .map((c) => `"${c}"`)
    .join(", ");
  const source = rowsSource(table, rows);
  const sql =
    `INSERT INTO "${table.name}" (${columns}) SELECT ${columns} FROM ${source.sql} ` +
    `ON CONFLICT DO NOTHING` +
    (options ? ` RETURNING "${options.returning}" AS value` : "");
  if (!options) {
    await tx.$executeRawUnsafe(sql, ...source.params);
    return;
  }
  const inserted = await tx.$queryRawUnsafe<{ value: unknown }[]>(sql, ...source.params);
  return inserted.map((r) => r.value);
}

/**
 * Inserts rows that cannot collide with existing ones, such as the runs, seats and links of courses
 * this transaction has just created: a plain INSERT, without the per-row arbiter checks of ON CONFLICT.
 * A collision would fail the statement, as any other constraint does.
 */
export async function insertNewRows<Row>(tx: RawSql, table: TableSpec<Row>, rows: Row[]): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  const columns = Object.keys(table.columns)
    .map((c) => `"${c}"`)
    .join(", ");
  const source = rowsSource(table, rows);
  await tx.$executeRawUnsafe(
    `INSERT INTO "${table.name}" (${columns}) SELECT ${columns} FROM ${source.sql}`,
    ...source.params,
  );
}

const rowResultTable: TableSpec<BulkRowResult> = {
  name: "BulkOperationRow",
  columns: {
    rowNumber: "integer",
    status: '"BulkRowStatus"',
    targetKey: "text",
    errorCode: "text",
    errorColumn: "text",
    errorMessage: "text",
    courseId: "text",
    courseRunId: "text",
    changes: "jsonb",
  },
};

/**
 * Records row outcomes. Only rows still `pending` change, so a replayed chunk cannot count a row twice;
 * returns how many rows took each status. A preview records what each row would do in `previewStatus`
 * and leaves the rows pending for the confirmed run.
 */
export async function writeRowResults(
  tx: RawSql,
  operationId: string,
  results: BulkRowResult[],
  { preview = false } = {},
) {
  if (results.length === 0) {
    return [];
  }
  const outcome = preview ? `"previewStatus" = r."status"` : `"status" = r."status"`;
  const source = rowsSource(rowResultTable, results, 2);
  const sql =
    `UPDATE "BulkOperationRow" AS t SET ${outcome}, "targetKey" = COALESCE(r."targetKey", t."targetKey"), ` +
    `"errorCode" = r."errorCode", "errorColumn" = r."errorColumn", "errorMessage" = r."errorMessage", ` +
    `"courseId" = r."courseId", "courseRunId" = r."courseRunId", "changes" = r."changes" ` +
    `FROM ${source.sql} ` +
    // `status::text`, so that rows are found through the (operationId, rowNumber) index rather than by
    // visiting every pending row of the operation.
    `WHERE t."operationId" = $1 AND t."rowNumber" = r."rowNumber" AND t."status"::text = 'pending' ` +
    `RETURNING r."status"::text AS status`;
  return tx.$queryRawUnsafe<{ status: BulkRowResult["status"] }[]>(sql, operationId, ...source.params);
}

/**
 * Writes whole rows back by id in one statement: every column of the spec but `id` and `createdAt`.
 * Callers lock the rows (SELECT … FOR UPDATE) before reading them, so merged values cannot lose a
 * concurrent update.
 */
export async function updateRows<Row extends { id: string }>(tx: RawSql, table: TableSpec<Row>, rows: Row[]) {
  if (rows.length === 0) {
    return;
  }
  const assignments = Object.keys(table.columns)
    .filter((c) => c !== "id" && c !== "createdAt")
    .map((c) => `"${c}" = r."${c}"`)
    .join(", ");
  const source = rowsSource(table, rows);
  await tx.$executeRawUnsafe(
    `UPDATE "${table.name}" AS t SET ${assignments} FROM ${source.sql} WHERE t."id" = r."id"`,
    ...source.params,
  );
}

/** Replaces the seats of the given runs (a run type or price change redefines them). */
export async function replaceSeats(tx: RawSql, runIds: string[], seats: SeatInsert[]) {
  if (runIds.length === 0) {
    return;
  }
  await tx.$executeRawUnsafe(`DELETE FROM "Seat" WHERE "runId" = ANY($1::text[])`, runIds);
  await insertRows(tx, seatTable, seats);
}
