import "server-only";

import { z } from "zod";

import type { ActingUser } from "@/lib/auth/require-user";
import { db } from "@/lib/db";
import { BulkOperationStatus, BulkOperationType } from "@/lib/generated/prisma/enums";
import type { Prisma } from "@/lib/generated/prisma/client";

export const OPERATION_SORTS = ["date_desc", "date_asc", "status_asc", "status_desc"] as const;
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

/** Staff see every operation; others see their own and those uploaded by members of their organizations. */
export function visibleOperationsWhere(user: ActingUser): Prisma.BulkOperationWhereInput {
  if (user.isStaff) {
    return {};
  }
  const organizationIds = user.memberships.map((m) => m.organizationId);
  return {
    OR: [{ uploaderId: user.id }, { uploader: { memberships: { some: { organizationId: { in: organizationIds } } } } }],
  };
}

const ORDER_BY: Record<OperationSort, Prisma.BulkOperationOrderByWithRelationInput[]> = {
  date_desc: [{ createdAt: "desc" }, { id: "desc" }],
  date_asc: [{ createdAt: "asc" }, { id: "asc" }],
  // Enum order is the lifecycle order, so "status" groups running ones before finished ones.
  status_asc: [{ status: "asc" }, { createdAt: "desc" }, { id: "desc" }],
  status_desc: [{ status: "desc" }, { createdAt: "desc" }, { id: "desc" }],
};

const operationListSelect = {
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
  finishedAt: true,
  uploader: { select: { id: true, email: true, username: true, name: true } },
} satisfies Prisma.BulkOperationSelect;

export type OperationListItem = Omit<
  Prisma.BulkOperationGetPayload<{ select: typeof operationListSelect }>,
  "createdAt" | "finishedAt"
> & { createdAt: string; finishedAt: string | null };

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
  const items = rows.map((row) => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  }));
  return { items, total, page, pageSize };
}
