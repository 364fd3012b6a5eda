import "server-only";

import { z } from "zod";

import type { ActingUser } from "@/lib/auth/require-user";
import { visibleOperationsWhere } from "@/lib/bulk/access/operation-access";
import { displayKey } from "@/lib/bulk/operations/registry";
import { UNCODED_ERROR } from "@/lib/bulk/vocabulary/error-codes";
import type { OperationType } from "@/lib/bulk/vocabulary/operation-types";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { BulkRowStatus } from "@/lib/generated/prisma/enums";
import { pageOffset, substringPattern } from "@/lib/sql-params";

/** Query-string filters of the per-row results; malformed values are dropped. */
export const listOperationRowsQuery = z.object({
  rowStatus: z.enum(BulkRowStatus).optional().catch(undefined),
  previewStatus: z.enum(BulkRowStatus).optional().catch(undefined),
  errorCode: z.string().trim().min(1).max(100).optional().catch(undefined),
  q: z.string().trim().min(1).max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).catch(1),
  pageSize: z.coerce.number().int().min(1).max(200).catch(50),
});

export type ListOperationRowsOptions = {
  user: ActingUser;
  operationId: string;
  status?: BulkRowStatus;
  /**
   * What a preview found the row would do. A row settled before the preview ran (rejected by validation)
   * has no preview status and matches by its own status, so `failed` finds every row that would fail.
   */
  previewStatus?: BulkRowStatus;
  errorCode?: string;
  /** Substring of the row's target key (course or run key), or of the message of a row that has none. */
  q?: string;
  page: number;
  pageSize: number;
};

export type RowChange = { field: string; before: unknown; after: unknown };

export type OperationRowItem = {
  id: string;
  rowNumber: number;
  status: BulkRowStatus;
  /** What the preview computed (null when the operation was not previewed or validation settled the row). */
  previewStatus: BulkRowStatus | null;
  targetKey: string | null;
  /**
   * The target as the user wrote it, for display: the resolved key once the row found its course or run,
   * else the key cells of the row (the stored target key of an unresolved row is a lowercased match key).
   */
  targetLabel: string | null;
  errorCode: string | null;
  errorColumn: string | null;
  errorMessage: string | null;
  /** Course page slug (its key, or its id if the course is gone) of the row's course or run. */
  course: { key: string | null; id: string } | null;
  courseRunKey: string | null;
  changes: RowChange[] | null;
};

/** One page of an operation's row results; empty when the operation is not visible to the user. */
export async function listOperationRows({
  user,
  operationId,
  status,
  previewStatus,
  errorCode,
  q,
  page,
  pageSize,
}: ListOperationRowsOptions): Promise<{ items: OperationRowItem[]; total: number; page: number; pageSize: number }> {
  // Visibility is decided once for the operation rather than joined into the row query (once per row).
  const visible = await db.bulkOperation.findFirst({
    where: { AND: [{ id: operationId }, visibleOperationsWhere(user)] },
    select: { id: true, type: true },
  });
  if (!visible) {
    return { items: [], total: 0, page, pageSize };
  }
  const filters = [
    status ? Prisma.sql`"status" = ${status}::"BulkRowStatus"` : null,
    previewStatus
      ? Prisma.sql`("previewStatus" = ${previewStatus}::"BulkRowStatus" OR ("previewStatus" IS NULL AND "status" = ${previewStatus}::"BulkRowStatus"))`
      : null,
    errorCode
      ? errorCode === UNCODED_ERROR
        ? Prisma.sql`"errorCode" IS NULL`
        : Prisma.sql`"errorCode" = ${errorCode}`
      : null,
    // A row rejected before its key was read has no target key; its message usually quotes the value.
    q
      ? Prisma.sql`("targetKey" ILIKE ${substringPattern(q)} OR ("targetKey" IS NULL AND "errorMessage" ILIKE ${substringPattern(q)}))`
      : null,
  ].filter((f): f is Prisma.Sql => f !== null);
  const pageOf = (rows: Prisma.Sql) =>
    Prisma.sql`ARRAY(SELECT "rowNumber" FROM ${rows} ORDER BY "rowNumber" LIMIT ${pageSize} OFFSET ${pageOffset(page, pageSize)})`;
  const ofOperation = Prisma.sql`"BulkOperationRow" WHERE "operationId" = ${operationId}`;
  // Row numbers first, then the page's rows by number: a deep page skips index entries, not rows. Unfiltered,
  // both come from the (operationId, rowNumber) index. Filtered, the matching row numbers are collected once
  // for the count and the page (index-only through the results index, except for a key search), never looked
  // for along the row-number index: a filter matching no row would read every row of the operation.
  const [{ total, rowNumbers }] = await db.$queryRaw<{ total: number; rowNumbers: number[] }[]>(
    filters.length
      ? Prisma.sql`WITH "matching" AS MATERIALIZED (SELECT "rowNumber" FROM ${ofOperation} AND ${Prisma.join(filters, " AND ")})
          SELECT (SELECT count(*)::int FROM "matching") AS "total", ${pageOf(Prisma.sql`"matching"`)} AS "rowNumbers"`
      : Prisma.sql`SELECT (SELECT count(*)::int FROM ${ofOperation}) AS "total",
          ${pageOf(Prisma.sql`${ofOperation}`)} AS "rowNumbers"`,
  );
  const rows = rowNumbers.length
    ? await db.bulkOperationRow.findMany({
        where: { operationId, rowNumber: { in: rowNumbers } },
        select: {
          id: true,
          rowNumber: true,
          status: true,
          previewStatus: true,
          targetKey: true,
          data: true,
          errorCode: true,
          errorColumn: true,
          errorMessage: true,
          courseId: true,
          courseRunId: true,
          changes: true,
        },
        orderBy: { rowNumber: "asc" },
      })
    : [];

  // Rows keep bare ids (no relations, so rows survive deletions); resolve the keys for links in two batched reads.
  const runIds = unique(rows.map((r) => r.courseRunId));
  const runs = runIds.length
    ? await db.courseRun.findMany({ where: { id: { in: runIds } }, select: { id: true, key: true, courseId: true } })
    : [];
  const runById = new Map(runs.map((r) => [r.id, r]));
  const courseIds = unique([...rows.map((r) => r.courseId), ...runs.map((r) => r.courseId)]);
  const courses = courseIds.length
    ? await db.course.findMany({ where: { id: { in: courseIds } }, select: { id: true, key: true } })
    : [];
  const courseKeyById = new Map(courses.map((c) => [c.id, c.key]));

  const items = rows.map((row): OperationRowItem => {
    const run = row.courseRunId ? runById.get(row.courseRunId) : undefined;
    const courseId = row.courseId ?? run?.courseId ?? null;
    return {
      id: row.id,
      rowNumber: row.rowNumber,
      status: row.status,
      previewStatus: row.previewStatus,
      targetKey: row.targetKey,
      targetLabel:
        row.courseId || row.courseRunId ? row.targetKey : (keyFromCells(visible.type, row.data) ?? row.targetKey),
      errorCode: row.errorCode,
      errorColumn: row.errorColumn,
      errorMessage: row.errorMessage,
      course: courseId ? { id: courseId, key: courseKeyById.get(courseId) ?? null } : null,
      courseRunKey: run?.key ?? null,
      changes: parseChanges(row.changes),
    };
  });
  return { items, total, page, pageSize };
}

function keyFromCells(type: OperationType, data: unknown): string | null {
  return typeof data === "object" && data !== null ? displayKey(type, data as Record<string, string>) : null;
}

function unique(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}

function parseChanges(value: unknown): RowChange[] | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return null;
  }
  const changes = Object.entries(value).map(([field, change]) => {
    const c = typeof change === "object" && change !== null ? (change as { before?: unknown; after?: unknown }) : {};
    return { field, before: c.before ?? null, after: c.after ?? null };
  });
  return changes.length ? changes : null;
}
