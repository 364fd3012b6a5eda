import "server-only";

import { RUNNING_STATUSES } from "@/lib/bulk/vocabulary/statuses";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { RawSql } from "@/lib/sql/set-writes";

/** Statuses in which an operation occupies the job backend; a preview awaiting confirmation waits for a person. */

/**
 * Refuses a new active operation for the user past MAX_ACTIVE_OPERATIONS_PER_USER. Call it inside the
 * transaction that creates or confirms the operation: the advisory lock makes concurrent uploads and
 * confirmations of one user take turns, so each counts what the previous ones committed.
 */
export async function claimActiveOperationSlot(sql: RawSql, userId: string, what: "upload" | "confirm") {
  await sql.$queryRawUnsafe(
    `SELECT 1 AS "locked" FROM pg_advisory_xact_lock(hashtextextended('bulk-active-operations:' || $1, 0))`,
    userId,
  );
  const [{ active }] = await sql.$queryRawUnsafe<{ active: number }[]>(
    `SELECT count(*)::int AS "active" FROM "BulkOperation" WHERE "uploaderId" = $1 AND "status"::text = ANY($2::text[])`,
    userId,
    RUNNING_STATUSES,
  );
  const limit = env().MAX_ACTIVE_OPERATIONS_PER_USER;
  if (active >= limit) {
    throw new AppError("TOO_MANY_REQUESTS", {
      userMessage:
        what === "upload"
          ? `You already have ${active} operations queued or running (the limit is ${limit}); wait for one to finish.`
          : `The uploader already has ${active} operations queued or running (the limit is ${limit}); confirm once one has finished.`,
    });
  }
}
