import "server-only";

import { FINAL_STATUSES, isFinalStatus } from "@/lib/bulk/vocabulary/statuses";
import { db } from "@/lib/db";
import type { BulkOperationStatus } from "@/lib/generated/prisma/client";

/**
 * Sets the final status from the row results (the counters are recomputed from them, so they always
 * match): `completed` only when every row succeeded, `failed` when none did or the file was unreadable.
 */
export async function finalizeOperation(operationId: string): Promise<{ status: BulkOperationStatus }> {
  const operation = await db.bulkOperation.findUniqueOrThrow({ where: { id: operationId }, omit: { fileBytes: true } });
  if (isFinalStatus(operation.status)) {
    return { status: operation.status };
  }
  const groups = await db.bulkOperationRow.groupBy({ by: ["status"], where: { operationId }, _count: true });
  const count = (status: string) => groups.find((g) => g.status === status)?._count ?? 0;
  const counts = {
    createdCount: count("created"),
    updatedCount: count("updated"),
    unchangedCount: count("unchanged"),
    failedCount: count("failed"),
  };
  const pending = count("pending");
  const succeeded = counts.createdCount + counts.updatedCount + counts.unchangedCount;

  let status: BulkOperationStatus;
  let errorMessage = operation.errorMessage;
  if (operation.cancelRequested && (pending > 0 || operation.status === "pending")) {
    status = "cancelled";
  } else if (pending > 0) {
    status = "errored";
    errorMessage = `${pending} row(s) were left unprocessed`;
  } else if (operation.errorMessage || succeeded === 0) {
    status = "failed";
    errorMessage ??= operation.totalRows === 0 ? "The file has no data rows" : "No row succeeded";
  } else if (counts.failedCount > 0) {
    status = "partially_completed";
  } else {
    status = "completed";
  }
  await db.bulkOperation.update({
    where: { id: operationId },
    data: {
      ...counts,
      processedRows: operation.totalRows - pending,
      status,
      errorMessage,
      stage: null,
      finishedAt: new Date(),
    },
    select: { id: true },
  });
  return { status };
}

/** A system fault that outlived its retries: the operation stops with the reason, never stuck in processing. */
export async function markOperationErrored(operationId: string, reason: string) {
  await db.bulkOperation.updateMany({
    where: {
      id: operationId,
      status: { notIn: [...FINAL_STATUSES] },
    },
    data: { status: "errored", errorMessage: reason, stage: null, finishedAt: new Date() },
  });
}
