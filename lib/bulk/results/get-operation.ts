import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { operationPermissions, visibleOperationsWhere } from "@/lib/bulk/access/operation-access";
import { UNCODED_ERROR } from "@/lib/bulk/vocabulary/error-codes";
import { isRunningStatus } from "@/lib/bulk/vocabulary/statuses";
import { db } from "@/lib/db";
import type { BulkRowStatus } from "@/lib/generated/prisma/enums";

import { type ErrorGroup, errorGroups } from "./error-groups";
import { operationListSelect, operationProgress } from "./list-operations";

export type OperationWarning = { code: string; message: string };

/** What a preview found each row would do. Rows rejected by validation count as "would fail". */
export type PreviewCounts = { created: number; updated: number; unchanged: number; failed: number; pending: number };

/** One operation as its detail screen shows it, or null when it does not exist or is not visible to the user. */
export async function getOperation({ user, id }: { user: ActingUser; id: string }) {
  const operation = await db.bulkOperation.findFirst({
    where: { AND: [{ id }, visibleOperationsWhere(user)] },
    select: {
      ...operationListSelect,
      fileChecksum: true,
      warnings: true,
      errorMessage: true,
      // A refused file's code (FILE_ERROR_CODES); null for any other outcome.
      errorCode: true,
      cancelRequested: true,
      emailSentAt: true,
      updatedAt: true,
      uploaderId: true,
      targets: { select: { organizationId: true } },
    },
  });
  if (!operation) {
    return null;
  }

  // A preview that was never confirmed wrote nothing: its rows' outcomes are what they *would* be.
  const previewed = operation.mode === "preview" && operation.confirmedAt === null;
  const running = isRunningStatus(operation.status);
  const [groups, preview, settledBeforePhase] = await Promise.all([
    previewed ? previewErrorGroups(id) : errorGroups(id),
    previewed ? previewCounts(id) : null,
    // Rows rejected by validation were settled before the confirmed apply began; they do not count towards its rate.
    running && operation.confirmedAt
      ? db.bulkOperationRow.count({ where: { operationId: id, status: "failed", previewStatus: null } })
      : 0,
  ]);

  const { uploaderId, targets, ...shown } = operation;
  return {
    ...shown,
    /** What this user may do: the screen shows only these buttons. */
    permissions: operationPermissions(user, {
      uploaderId,
      targetOrganizationIds: targets.map((t) => t.organizationId),
    }),
    warnings: parseWarnings(operation.warnings),
    confirmedAt: operation.confirmedAt?.toISOString() ?? null,
    emailSentAt: operation.emailSentAt?.toISOString() ?? null,
    createdAt: operation.createdAt.toISOString(),
    updatedAt: operation.updatedAt.toISOString(),
    startedAt: operation.startedAt?.toISOString() ?? null,
    finishedAt: operation.finishedAt?.toISOString() ?? null,
    /** Live rate and ETA while the job runs (pending, validating, processing); null otherwise. */
    progress: operationProgress(operation, { settledBeforePhase }),
    /** For a preview that was never confirmed: how many rows would be created, updated, unchanged or fail. */
    preview,
    /** Failed rows by code; for an unconfirmed preview, the rows that would fail. */
    errorGroups: groups,
  };
}

async function previewCounts(operationId: string): Promise<PreviewCounts> {
  const groups = await db.bulkOperationRow.groupBy({
    by: ["status", "previewStatus"],
    where: { operationId },
    _count: true,
  });
  const counts: PreviewCounts = { created: 0, updated: 0, unchanged: 0, failed: 0, pending: 0 };
  for (const g of groups) {
    counts[previewOutcome(g.status, g.previewStatus)] += g._count;
  }
  return counts;
}

/** A settled row's own status wins (validation failures have no preview status); else what the preview computed. */
function previewOutcome(status: BulkRowStatus, previewStatus: BulkRowStatus | null): BulkRowStatus {
  return status !== "pending" ? status : (previewStatus ?? "pending");
}

/** Like errorGroups, counting the rows a preview found would fail as well as those validation rejected. */
async function previewErrorGroups(operationId: string): Promise<ErrorGroup[]> {
  const where = {
    operationId,
    OR: [{ status: "failed" as const }, { status: "pending" as const, previewStatus: "failed" as const }],
  };
  const groups = await db.bulkOperationRow.groupBy({
    by: ["errorCode"],
    where,
    _count: true,
    _min: { rowNumber: true },
  });
  const firstRows = groups.map((g) => g._min.rowNumber).filter((n): n is number => n !== null);
  const examples = firstRows.length
    ? await db.bulkOperationRow.findMany({
        where: { operationId, rowNumber: { in: firstRows } },
        select: { rowNumber: true, errorColumn: true, errorMessage: true },
      })
    : [];
  const exampleByRow = new Map(examples.map((e) => [e.rowNumber, e]));
  return groups
    .map((g) => {
      const example = exampleByRow.get(g._min.rowNumber ?? -1);
      return {
        code: g.errorCode ?? UNCODED_ERROR,
        count: g._count,
        example: {
          rowNumber: g._min.rowNumber ?? 0,
          column: example?.errorColumn ?? null,
          message: example?.errorMessage ?? null,
        },
      };
    })
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

// The column is free-form JSON; keep only well-formed entries so the page never renders garbage.
function parseWarnings(value: unknown): OperationWarning[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.flatMap((w) =>
    typeof w === "object" && w !== null && typeof (w as OperationWarning).message === "string"
      ? [{ code: String((w as OperationWarning).code ?? "WARNING"), message: (w as OperationWarning).message }]
      : [],
  );
}
