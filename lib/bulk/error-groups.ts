import "server-only";

import { db } from "@/lib/db";

export interface ErrorGroup {
  code: string;
  count: number;
  example: string;
}

/** Failed rows grouped by error code, most frequent first, each with one example message. */
export async function errorGroups(operationId: string): Promise<ErrorGroup[]> {
  const groups = await db.$queryRawUnsafe<{ code: string; count: number; example: string }[]>(
    `SELECT "errorCode" AS code, COUNT(*)::int AS count, MIN("errorMessage") AS example FROM "BulkOperationRow" ` +
      `WHERE "operationId" = $1 AND "status" = 'failed' GROUP BY "errorCode" ORDER BY count DESC, code`,
    operationId,
  );
  return groups.map((g) => ({ code: g.code ?? "UNKNOWN", count: g.count, example: g.example ?? "" }));
}
