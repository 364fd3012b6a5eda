import "server-only";

import { UNCODED_ERROR } from "@/lib/bulk/vocabulary/error-codes";
import { db } from "@/lib/db";

/** Failed rows of one error code; `example` is the first such row. */
export interface ErrorGroup {
  code: string;
  count: number;
  example: { rowNumber: number; column: string | null; message: string | null };
}

/** Failed rows whose writer set no code still need a group. */

/** Failed rows grouped by error code, most frequent first, each with its first row as the example. */
export async function errorGroups(operationId: string): Promise<ErrorGroup[]> {
  const groups = await db.$queryRawUnsafe<
    { code: string | null; count: number; rowNumber: number; column: string | null; message: string | null }[]
  >(
    `SELECT g.code, g.count, r."rowNumber", r."errorColumn" AS column, r."errorMessage" AS message FROM (` +
      `SELECT "errorCode" AS code, COUNT(*)::int AS count, MIN("rowNumber") AS first FROM "BulkOperationRow" ` +
      `WHERE "operationId" = $1 AND "status" = 'failed' GROUP BY "errorCode") g ` +
      `JOIN "BulkOperationRow" r ON r."operationId" = $1 AND r."rowNumber" = g.first ` +
      `ORDER BY g.count DESC, g.code`,
    operationId,
  );
  return groups.map((g) => ({
    code: g.code ?? UNCODED_ERROR,
    count: g.count,
    example: { rowNumber: g.rowNumber, column: g.column, message: g.message },
  }));
}
