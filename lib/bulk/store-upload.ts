import "server-only";

import { randomUUID } from "node:crypto";

import { inTransaction } from "@/lib/catalog/sql-pool";
import type { RawSql } from "@/lib/catalog/tables";
import type { BulkOperationMode, BulkOperationStatus, BulkOperationType } from "@/lib/generated/prisma/client";

/**
 * Creates the operation row with the uploaded file. The bytes go to PostgreSQL as one binary
 * parameter: through Prisma a 50 MB file travels as base64 through its query compiler, which takes
 * seconds and leaves the process several hundred megabytes larger.
 */
export async function storeUpload(upload: {
  type: BulkOperationType;
  mode: BulkOperationMode;
  uploaderId: string;
  fileName: string;
  fileChecksum: string;
  bytes: Uint8Array;
  /** Runs first in the insert's transaction (e.g. a limit check that must see concurrent uploads). */
  beforeInsert?: (sql: RawSql) => Promise<void>;
}): Promise<{ id: string; status: BulkOperationStatus }> {
  const now = new Date().toISOString();
  const [operation] = await inTransaction(async (sql) => {
    await upload.beforeInsert?.(sql);
    return sql.$queryRawUnsafe<{ id: string; status: BulkOperationStatus }[]>(
      `INSERT INTO "BulkOperation" ("id", "type", "mode", "uploaderId", "fileName", "fileSize", "fileChecksum", "fileBytes", "createdAt", "updatedAt") ` +
        `VALUES ($1, $2::"BulkOperationType", $3::"BulkOperationMode", $4, $5, $6, $7, $8, $9::timestamp(3), $9::timestamp(3)) ` +
        `RETURNING "id", "status"::text AS "status"`,
      randomUUID(),
      upload.type,
      upload.mode,
      upload.uploaderId,
      upload.fileName,
      upload.bytes.byteLength,
      upload.fileChecksum,
      Buffer.from(upload.bytes.buffer, upload.bytes.byteOffset, upload.bytes.byteLength),
      now,
    );
  });
  return operation;
}

/**
 * The uploaded file, byte for byte. It travels as base64 text: pg hands `bytea` over as hex, a
 * string twice the file's size (its binary mode decodes values as UTF-8, which would corrupt them).
 */
export async function readStoredUpload(operationId: string): Promise<Uint8Array> {
  const [row] = await inTransaction(
    (sql) =>
      sql.$queryRawUnsafe<{ file: string }[]>(
        `SELECT encode("fileBytes", 'base64') AS "file" FROM "BulkOperation" WHERE "id" = $1`,
        operationId,
      ),
    { ownConnection: true },
  );
  if (!row) {
    throw new Error(`Operation ${operationId} does not exist`);
  }
  return Buffer.from(row.file, "base64");
}
