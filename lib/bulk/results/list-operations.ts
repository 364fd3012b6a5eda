import "server-only";

import { z } from "zod";

import type { ActingUser } from "@/lib/auth/require-user";
import { visibleOperationsWhere } from "@/lib/bulk/access/operation-access";
import { isFinalStatus, isRunningStatus } from "@/lib/bulk/vocabulary/statuses";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { BulkOperationStatus, BulkOperationType } from "@/lib/generated/prisma/enums";

const OPERATION_SORTS = ["date_desc", "date_asc", "status_asc", "status_desc"] as const;
export type OperationSort = (typeof OPERATION_SORTS)[number];

/** Query-string filters of the history; a malformed value falls back to "no filter" rather than an error page. */
export const listOperationsQuery = z.object({
  status: z.enum(BulkOperationStatus).optional().catch(undefined),
  type: z.enum(BulkOperationType).optional().catch(undefined),
  uploader: z.string().trim().min(1).max(200).optional().catch(undefined),
  sort: z.enum(OPERATION_SORTS).catch("date_desc"),
  page: z.coerce.number().int().min(1).catch(1),
  pageSize: z.coerce.number().int().min(1).max(100).catch(25),
});

export type ListOperationsOptions = {
  user: ActingUser;
  status?: BulkOperationStatus;
  type?: BulkOperationType;
  /** Matches the uploader's email, username or name (case-insensitive substring), or their exact id. */
  uploader?: string;
  sort?: OperationSort;
  page: number;
  pageSize: number;
};

const ORDER_BY: Record<OperationSort, Prisma.BulkOperationOrderByWithRelationInput[]> = {
  date_desc: [{ createdAt: "desc" }, { id: "desc" }],
  date_asc: [{ createdAt: "asc" }, { id: "asc" }],
  // Enum order is the lifecycle order, so "status" groups running ones before finished ones.
  status_asc: [{ status: "asc" }, { createdAt: "desc" }, { id: "desc" }],
  status_desc: [{ status: "desc" }, { createdAt: "desc" }, { id: "desc" }],
};

/** What a list row shows; the detail screen selects this and more. */
export const operationListSelect = {
  id: true,
  type: true,
  status: true,
  mode: true,
  stage: true,
  fileName: true,
  fileSize: true,
  totalRows: true,
  processedRows: true,
  createdCount: true,
  updatedCount: true,
  unchangedCount: true,
  failedCount: true,
  createdAt: true,
  startedAt: true,
  confirmedAt: true,
  finishedAt: true,
  uploader: { select: { id: true, email: true, username: true, name: true } },
} satisfies Prisma.BulkOperationSelect;

export type OperationListItem = Omit<
  Prisma.BulkOperationGetPayload<{ select: typeof operationListSelect }>,
  "createdAt" | "startedAt" | "confirmedAt" | "finishedAt"
> & {
  createdAt: string;
  finishedAt: string | null;
  /** Live rate and ETA while the job runs; null otherwise. */
  progress: OperationProgress | null;
  /** Wall time from start to finish, for finished operations. */
  durationSeconds: number | null;
};

/** Throughput of a running operation, measured on the server so every viewer sees the same numbers. */
export type OperationProgress = {
  /** Seconds since the current phase started (the confirmation of a preview, or the job's start). */
  elapsedSeconds: number;
  /** Rows settled per second in this phase; null until the first rows are done. */
  rowsPerSecond: number | null;
  /** Seconds until every row is done at the current rate; null while the rate or the total is unknown. */
  etaSeconds: number | null;
};

/**
 * Rate and ETA from the rows done since the phase began. A confirmed preview's rows are timed from the
 * confirmation (the wait for the user is not work), minus the rows already settled before it.
 */
export function operationProgress(
  operation: {
    status: string;
    totalRows: number;
    processedRows: number;
    startedAt: Date | null;
    confirmedAt: Date | null;
  },
  { now = new Date(), settledBeforePhase = 0 }: { now?: Date; settledBeforePhase?: number } = {},
): OperationProgress | null {
  if (!isRunningStatus(operation.status)) {
    return null;
  }
  const since = operation.confirmedAt ?? operation.startedAt;
  if (!since) {
    return { elapsedSeconds: 0, rowsPerSecond: null, etaSeconds: null };
  }
  const elapsedSeconds = Math.max(0, (now.getTime() - since.getTime()) / 1000);
  const done = operation.processedRows - (operation.confirmedAt ? settledBeforePhase : 0);
  const rate = done > 0 && elapsedSeconds > 0 ? done / elapsedSeconds : null;
  const remaining = Math.max(0, operation.totalRows - operation.processedRows);
  return {
    elapsedSeconds: Math.round(elapsedSeconds * 10) / 10,
    rowsPerSecond: rate === null ? null : rate >= 100 ? Math.round(rate) : Math.round(rate * 10) / 10,
    etaSeconds: rate === null || operation.totalRows === 0 ? null : Math.ceil(remaining / rate),
  };
}

export async function listOperations({
  user,
  status,
  type,
  uploader,
  sort = "date_desc",
  page,
  pageSize,
}: ListOperationsOptions): Promise<{ items: OperationListItem[]; total: number; page: number; pageSize: number }> {
  const where: Prisma.BulkOperationWhereInput = {
    AND: [
      visibleOperationsWhere(user),
      status ? { status } : {},
      type ? { type } : {},
      uploader
        ? {
            OR: [
              { uploaderId: uploader },
              { uploader: { email: { contains: uploader, mode: "insensitive" } } },
              { uploader: { username: { contains: uploader, mode: "insensitive" } } },
              { uploader: { name: { contains: uploader, mode: "insensitive" } } },
            ],
          }
        : {},
    ],
  };
  const [rows, total] = await Promise.all([
    db.bulkOperation.findMany({
      where,
      select: operationListSelect,
      orderBy: ORDER_BY[sort],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    db.bulkOperation.count({ where }),
  ]);
  const now = new Date();
  const items = rows.map(({ startedAt, confirmedAt, ...row }): OperationListItem => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    // The history skips the per-operation count of rows settled before a confirmation: a close estimate suffices here.
    progress: operationProgress({ ...row, startedAt, confirmedAt }, { now }),
    durationSeconds:
      startedAt && row.finishedAt && isFinalStatus(row.status)
        ? Math.max(0, (row.finishedAt.getTime() - (confirmedAt ?? startedAt).getTime()) / 1000)
        : null,
  }));
  return { items, total, page, pageSize };
}
