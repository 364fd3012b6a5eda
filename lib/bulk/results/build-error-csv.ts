import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { visibleOperationsWhere } from "@/lib/bulk/access/operation-access";
import { csvLines, writeCsv } from "@/lib/bulk/csv/write-csv";
import { db } from "@/lib/db";

/** Failed rows read from the database at a time while the file streams out. */
const ROWS_PER_BATCH = 1_000;

/**
 * The failed rows with their original columns and values, plus `error_code` and `error_message`:
 * fix them and upload the file as it is (the reader ignores the two extra columns with a warning).
 * Null when the operation is not visible to the user. Otherwise `stream` is the file (a UTF-8 BOM first,
 * so Excel reads it as UTF-8), read from the database a batch of rows at a time as the client reads it:
 * a file of any size costs one batch of memory.
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
  const encoder = new TextEncoder();
  let afterRow = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(
          encoder.encode(`\uFEFF${writeCsv([...headers.map((h) => h.raw), "error_code", "error_message"], [])}`),
        );
      },
      async pull(controller) {
        // Keyset pagination: each batch starts after the last row number sent.
        const batch = await db.bulkOperationRow.findMany({
          where: {
            operationId: id,
            rowNumber: { gt: afterRow },
            // A preview's rows that would fail are included, so they can be fixed before confirming.
            OR: [{ status: "failed" }, { status: "pending", previewStatus: "failed" }],
          },
          select: { rowNumber: true, data: true, errorCode: true, errorMessage: true },
          orderBy: { rowNumber: "asc" },
          take: ROWS_PER_BATCH,
        });
        if (batch.length > 0) {
          afterRow = batch[batch.length - 1].rowNumber;
          const rows = batch.map((row) => {
            const data = row.data as Record<string, string>;
            return [...headers.map((h) => data[h.name] ?? ""), row.errorCode ?? "", row.errorMessage ?? ""];
          });
          controller.enqueue(encoder.encode(csvLines(rows)));
        }
        if (batch.length < ROWS_PER_BATCH) {
          controller.close();
        }
      },
    },
    // Read the next batch only when the client has taken the previous one.
    { highWaterMark: 0 },
  );
  return { fileName: `${operation.fileName.replace(/\.(csv|txt)$/i, "")}-errors.csv`, stream };
}
