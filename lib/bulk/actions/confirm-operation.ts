import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { claimActiveOperationSlot } from "@/lib/bulk/access/active-operations";
import { findActionable } from "@/lib/bulk/access/operation-access";
import { dispatchOperation } from "@/lib/bulk/runner/dispatch-operation";
import type { Stage } from "@/lib/bulk/vocabulary/statuses";
import { isFinalStatus } from "@/lib/bulk/vocabulary/statuses";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { BulkOperationStatus } from "@/lib/generated/prisma/enums";

/**
 * Applies a previewed operation. Rows are applied afresh, so a row whose target changed since the
 * preview is checked again and reports what actually happened.
 */
export async function confirmOperation({ user, id }: { user: ActingUser; id: string }) {
  const { uploaderId } = await findActionable(user, id, "confirm");
  await db.$transaction(async (tx) => {
    await claimActiveOperationSlot(tx, uploaderId, "confirm");
    // Waits for a concurrent cancel holding the row (cancelOperation), then sees its outcome.
    const confirmed = await tx.bulkOperation.updateMany({
      where: { id, status: "awaiting_confirmation", cancelRequested: false },
      data: { status: "processing", stage: "applying" satisfies Stage, confirmedAt: new Date(), claimedBy: null },
    });
    if (confirmed.count === 0) {
      const { status } = await tx.bulkOperation.findUniqueOrThrow({ where: { id }, select: { status: true } });
      throw new AppError("CONFLICT", {
        userMessage: `Only an operation awaiting confirmation can be confirmed; this one is ${status}.`,
      });
    }
    // The preview counted rows as processed; applying counts them again.
    const settled = await tx.bulkOperationRow.count({ where: { operationId: id, status: { not: "pending" } } });
    await tx.bulkOperation.update({ where: { id }, data: { processedRows: settled } });
  });
  await dispatchOperation(id, "confirm");
  return { id, status: "processing" as const };
}

/**
 * Discards a preview that is awaiting confirmation, or stops a running operation after the chunks in flight
 * (rows already applied stay applied and are reported). The answer says which happened: the operation row
 * is locked while deciding, so a confirmation racing this call either lands first (then the apply is asked
 * to stop, and the answer says it is still processing) or finds the preview already discarded.
 */
export async function cancelOperation({ user, id }: { user: ActingUser; id: string }) {
  await findActionable(user, id, "cancel");
  return db.$transaction(async (tx) => {
    const [{ status }] = await tx.$queryRawUnsafe<{ status: BulkOperationStatus }[]>(
      `SELECT "status"::text AS "status" FROM "BulkOperation" WHERE "id" = $1 FOR UPDATE`,
      id,
    );
    if (isFinalStatus(status)) {
      throw new AppError("CONFLICT", { userMessage: `The operation has already finished (${status}).` });
    }
    if (status === "awaiting_confirmation") {
      await tx.bulkOperation.update({
        where: { id },
        data: { status: "cancelled", cancelRequested: true, stage: null, finishedAt: new Date() },
      });
      return { id, status: "cancelled" as const };
    }
    await tx.bulkOperation.update({ where: { id }, data: { cancelRequested: true } });
    return { id, status, cancelRequested: true };
  });
}
