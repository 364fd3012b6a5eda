import "server-only";

import type { BulkRowResult } from "@/lib/bulk/operations/row-result";
import type { RowErrorCode } from "@/lib/bulk/vocabulary/error-codes";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type RawSql, type SameColumns, type TableSpec, rowsSource } from "@/lib/sql/set-writes";

// The rows of an operation as the pipeline writes them: stored at validation, their results at apply.

export interface BulkOperationRowInsert {
  id: string;
  operationId: string;
  rowNumber: number;
  status: "pending" | "failed";
  data: Record<string, string>;
  targetKey: string | null;
  errorCode: RowErrorCode | null;
  errorColumn: string | null;
  errorMessage: string | null;
}

export const bulkOperationRowTable: TableSpec<BulkOperationRowInsert> = {
  name: "BulkOperationRow",
  columns: {
    id: "text",
    operationId: "text",
    rowNumber: "integer",
    status: '"BulkRowStatus"',
    data: "jsonb",
    targetKey: "text",
    errorCode: "text",
    errorColumn: "text",
    errorMessage: "text",
  },
};

const rowResultTable: TableSpec<BulkRowResult> = {
  name: "BulkOperationRow",
  columns: {
    rowNumber: "integer",
    status: '"BulkRowStatus"',
    targetKey: "text",
    errorCode: "text",
    errorColumn: "text",
    errorMessage: "text",
    courseId: "text",
    courseRunId: "text",
    changes: "jsonb",
  },
};

/**
 * Records row outcomes. Only rows still `pending` change, so a replayed chunk cannot count a row twice;
 * returns how many rows took each status. A preview records what each row would do in `previewStatus`
 * and leaves the rows pending for the confirmed run.
 */
export async function writeRowResults(
  tx: RawSql,
  operationId: string,
  results: BulkRowResult[],
  { preview = false } = {},
) {
  if (results.length === 0) {
    return [];
  }
  const outcome = preview ? `"previewStatus" = r."status"` : `"status" = r."status"`;
  const source = rowsSource(rowResultTable, results, 2);
  const sql =
    `UPDATE "BulkOperationRow" AS t SET ${outcome}, "targetKey" = COALESCE(r."targetKey", t."targetKey"), ` +
    `"errorCode" = r."errorCode", "errorColumn" = r."errorColumn", "errorMessage" = r."errorMessage", ` +
    `"courseId" = r."courseId", "courseRunId" = r."courseRunId", "changes" = r."changes" ` +
    `FROM ${source.sql} ` +
    // `status::text`, so that rows are found through the (operationId, rowNumber) index rather than by
    // visiting every pending row of the operation.
    `WHERE t."operationId" = $1 AND t."rowNumber" = r."rowNumber" AND t."status"::text = 'pending' ` +
    `RETURNING r."status"::text AS status`;
  return tx.$queryRawUnsafe<{ status: BulkRowResult["status"] }[]>(sql, operationId, ...source.params);
}

// Validation stores every column but the results, which apply writes: a new column of the model fails to
// compile here until it is stored or named as written later.
const rowSpecMatchesModel: SameColumns<
  BulkOperationRowInsert,
  Prisma.BulkOperationRowScalarFieldEnum,
  "previewStatus" | "courseId" | "courseRunId" | "changes"
> = true;
void rowSpecMatchesModel;
