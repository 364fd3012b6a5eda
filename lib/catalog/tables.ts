import "server-only";

import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Set-based writes for the bulk pipeline. Prisma's query builder writes row by row (or `createMany`
 * without RETURNING); a chunk of thousands of rows goes in as one JSON parameter expanded by
 * `jsonb_to_recordset`, one statement per table.
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

function recordsetSource<Row>(table: TableSpec<Row>) {
  const definitions = Object.entries(table.columns).map(([column, type]) => `"${column}" ${type}`);
  return `jsonb_to_recordset($1::jsonb) AS r(${definitions.join(", ")})`;
}

/**
 * Inserts every row in one statement; rows that hit a unique constraint are skipped.
 * Returns the value of `returning` for the rows actually inserted.
 */
export async function insertRows<Row, K extends keyof Row & string>(
  tx: Tx,
  table: TableSpec<Row>,
  rows: Row[],
  options: { returning: K },
): Promise<Row[K][]>;
export async function insertRows<Row>(tx: Tx, table: TableSpec<Row>, rows: Row[]): Promise<void>;
export async function insertRows<Row>(
  tx: Tx,
  table: TableSpec<Row>,
  rows: Row[],
  options?: { returning: keyof Row & string },
): Promise<unknown[] | void> {
  if (rows.length === 0) {
    return options ? [] : undefined;
  }
  const columns = Object.keys(table.columns).map((c) => `"${c}"`).join(", ");
  const sql =
    `INSERT INTO "${table.name}" (${columns}) SELECT ${columns} FROM ${recordsetSource(table)} ` +
    `ON CONFLICT DO NOTHING` +
    (options ? ` RETURNING "${options.returning}" AS value` : "");
  const payload = JSON.stringify(rows);
  if (!options) {
    await tx.$executeRawUnsafe(sql, payload);
    return;
  }
  const inserted = await tx.$queryRawUnsafe<{ value: unknown }[]>(sql, payload);
  return inserted.map((r) => r.value);
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
export async function writeRowResults(tx: Tx, operationId: string, results: BulkRowResult[], { preview = false } = {}) {
  if (results.length === 0) {
    return [];
  }
  const outcome = preview ? `"previewStatus" = r."status"` : `"status" = r."status"`;
  const sql =
    `UPDATE "BulkOperationRow" AS t SET ${outcome}, "targetKey" = COALESCE(r."targetKey", t."targetKey"), ` +
    `"errorCode" = r."errorCode", "errorColumn" = r."errorColumn", "errorMessage" = r."errorMessage", ` +
    `"courseId" = r."courseId", "courseRunId" = r."courseRunId", "changes" = r."changes" ` +
    `FROM ${recordsetSource(rowResultTable)} ` +
    `WHERE t."operationId" = $2 AND t."rowNumber" = r."rowNumber" AND t."status" = 'pending' ` +
    `RETURNING r."status"::text AS status`;
  return tx.$queryRawUnsafe<{ status: BulkRowResult["status"] }[]>(sql, JSON.stringify(results), operationId);
}

/**
 * Writes whole rows back by id in one statement: every column of the spec but `id` and `createdAt`.
 * Callers lock the rows (SELECT … FOR UPDATE) before reading them, so merged values cannot lose a
 * concurrent update.
 */
export async function updateRows<Row extends { id: string }>(tx: Tx, table: TableSpec<Row>, rows: Row[]) {
  if (rows.length === 0) {
    return;
  }
  const assignments = Object.keys(table.columns)
    .filter((c) => c !== "id" && c !== "createdAt")
    .map((c) => `"${c}" = r."${c}"`)
    .join(", ");
  await tx.$executeRawUnsafe(
    `UPDATE "${table.name}" AS t SET ${assignments} FROM ${recordsetSource(table)} WHERE t."id" = r."id"`,
    JSON.stringify(rows),
  );
}

/** Replaces the seats of the given runs (a run type or price change redefines them). */
export async function replaceSeats(tx: Tx, runIds: string[], seats: SeatInsert[]) {
  if (runIds.length === 0) {
    return;
  }
  await tx.$executeRawUnsafe(`DELETE FROM "Seat" WHERE "runId" = ANY($1::text[])`, runIds);
  await insertRows(tx, seatTable, seats);
}

/** Locks rows by id for the rest of the transaction, in id order so that concurrent chunks cannot deadlock. */
export async function lockRows(tx: Tx, table: "Course" | "CourseRun", ids: string[]) {
  if (ids.length === 0) {
    return;
  }
  await tx.$queryRawUnsafe(`SELECT "id" FROM "${table}" WHERE "id" = ANY($1::text[]) ORDER BY "id" FOR UPDATE`, ids);
}
