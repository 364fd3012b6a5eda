import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { db } from "@/lib/db";

import { visibleOperationsWhere } from "./operation-access";
import { writeCsv } from "./write-csv";

/**
 * The failed rows with their original columns and values, plus `error_code` and `error_message`:
 * fix them and upload the file as it is (the reader ignores the two extra columns with a warning).
 */
export async function buildErrorCsv({ user, id }: { user: ActingUser; id: string }) {
  const operation = await db.bulkOperation.findFirst({
    where: { AND: [{ id }, visibleOperationsWhere(user)] },
    select: { fileName: true, headers: true },
  });
  if (!operation) {
    return null;
  }
  const headers = operation.headers as { raw: string; name: string }[];
  // A preview's rows that would fail are included, so they can be fixed before confirming.
  const failed = await db.bulkOperationRow.findMany({
    where: { operationId: id, OR: [{ status: "failed" }, { status: "pending", previewStatus: "failed" }] },
    select: { data: true, errorCode: true, errorMessage: true },
    orderBy: { rowNumber: "asc" },
  });
  const rows = failed.map((row) => {
    const data = row.data as Record<string, string>;
    return [...headers.map((h) => data[h.name] ?? ""), row.errorCode ?? "", row.errorMessage ?? ""];
  });
  return {
    fileName: `${operation.fileName.replace(/\.(csv|txt)$/i, "")}-errors.csv`,
    csv: writeCsv([...headers.map((h) => h.raw), "error_code", "error_message"], rows),
  };
}
