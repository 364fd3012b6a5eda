import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

import { dispatchOperation } from "./dispatch-operation";
import { visibleOperationsWhere } from "./list-operations";

/**
 * Applies a previewed operation. Rows are applied afresh, so a row whose target changed since the
 * preview is checked again and reports what actually happened.
 */
export async function confirmOperation({ user, id }: { user: ActingUser; id: string }) {
  await findActionable(user, id);
  const confirmed = await db.bulkOperation.updateMany({
    where: { id, status: "awaiting_confirmation" },
    data: { status: "processing", stage: "applying", confirmedAt: new Date(), claimedBy: null },
  });
  if (confirmed.count === 0) {
    throw new AppError("CONFLICT", { userMessage: "Only an operation awaiting confirmation can be confirmed." });
  }
  // The preview counted rows as processed; applying counts them again.
  const settled = await db.bulkOperationRow.count({ where: { operationId: id, status: { not: "pending" } } });
  await db.bulkOperation.update({ where: { id }, data: { processedRows: settled } });
  await dispatchOperation(id, "confirm");
  return { id, status: "processing" as const };
}

/**
 * Stops an operation after its current chunk (rows already applied stay applied and are reported),
 * or discards a preview that is awaiting confirmation.
 */
export async function cancelOperation({ user, id }: { user: ActingUser; id: string }) {
  const operation = await findActionable(user, id);
  if (operation.status === "awaiting_confirmation") {
    await db.bulkOperation.updateMany({
      where: { id, status: "awaiting_confirmation" },
      data: { status: "cancelled", cancelRequested: true, stage: null, finishedAt: new Date() },
    });
    return { id, status: "cancelled" as const };
  }
  const requested = await db.bulkOperation.updateMany({
    where: { id, status: { in: ["pending", "validating", "processing"] } },
    data: { cancelRequested: true },
  });
  if (requested.count === 0) {
    throw new AppError("CONFLICT", { userMessage: `The operation has already finished (${operation.status}).` });
  }
  return { id, status: operation.status, cancelRequested: true };
}

/** The uploader, staff, or a coordinator of one of the uploader's organizations may act on an operation. */
async function findActionable(user: ActingUser, id: string) {
  const operation = await db.bulkOperation.findFirst({
    where: { AND: [{ id }, visibleOperationsWhere(user)] },
    select: { status: true, uploaderId: true },
  });
  if (!operation) {
    throw new AppError("NOT_FOUND", { userMessage: "No such bulk operation (or it is not visible to you)." });
  }
  return operation;
}
