import "server-only";

import { createHash, randomUUID } from "node:crypto";

import { AppError } from "@/lib/errors";
import type { BulkOperationMode, BulkOperationStatus, BulkOperationType } from "@/lib/generated/prisma/client";
import { formatBytes } from "@/lib/http";
import type { RawSql } from "@/lib/sql/set-writes";
import { inTransaction, sqlPool } from "@/lib/sql/sql-pool";

/**
 * Bytes per staged piece and per piece read back. An upload is never held whole: it goes to
 * PostgreSQL as it arrives and comes back a piece at a time.
 */
export const PIECE_BYTES = 1024 * 1024;
/** The first bytes of a staged upload, kept to recognise files that are not CSV. */
const HEAD_BYTES = 8;
/** Pieces older than this belong to an upload that never completed (a crash, a client gone). */
const ABANDONED_AFTER = "1 day";

/** An upload stored as pieces under its own id, not yet an operation. */
export interface StagedUpload {
  uploadId: string;
  size: number;
  /** SHA-256 of the bytes, hex. */
  checksum: string;
  head: Uint8Array;
}

/**
 * Stores the bytes as they arrive, in pieces of `PIECE_BYTES`, hashing and counting them: memory holds
 * one piece. Each piece is written before the next is read, so a slow database slows the upload rather
 * than filling memory. More than `maxBytes` is a 413; on any failure the pieces are deleted.
 */
export async function stageUpload(bytes: AsyncIterable<Uint8Array>, { maxBytes }: { maxBytes: number }) {
  const uploadId = randomUUID();
  const hash = createHash("sha256");
  const head = new Uint8Array(HEAD_BYTES);
  let piece = Buffer.allocUnsafe(PIECE_BYTES);
  let filled = 0;
  let size = 0;
  let partNumber = 0;
  const flush = async () => {
    await sqlPool().query(
      `INSERT INTO "BulkOperationUploadPart" ("uploadId", "partNumber", "bytes") VALUES ($1, $2, $3)`,
      [uploadId, partNumber++, piece.subarray(0, filled)],
    );
    // The driver may still hold the previous piece while it is sent; a new one is never shared.
    piece = Buffer.allocUnsafe(PIECE_BYTES);
    filled = 0;
  };
  try {
    await sqlPool().query(
      `DELETE FROM "BulkOperationUploadPart" WHERE "createdAt" < CURRENT_TIMESTAMP - interval '${ABANDONED_AFTER}'`,
    );
    for await (const chunk of bytes) {
      if (size < HEAD_BYTES) {
        head.set(chunk.subarray(0, HEAD_BYTES - size), size);
      }
      size += chunk.byteLength;
      if (size > maxBytes) {
        throw new AppError("PAYLOAD_TOO_LARGE", {
          userMessage: `The file is larger than the limit of ${formatBytes(maxBytes)}. Split it into smaller files.`,
        });
      }
      hash.update(chunk);
      for (let offset = 0; offset < chunk.byteLength;) {
        const taken = Math.min(PIECE_BYTES - filled, chunk.byteLength - offset);
        piece.set(chunk.subarray(offset, offset + taken), filled);
        filled += taken;
        offset += taken;
        if (filled === PIECE_BYTES) {
          await flush();
        }
      }
    }
    if (filled > 0) {
      await flush();
    }
  } catch (error) {
    await discardStagedUpload(uploadId);
    throw error;
  }
  const staged: StagedUpload = {
    uploadId,
    size,
    checksum: hash.digest("hex"),
    head: head.subarray(0, Math.min(size, HEAD_BYTES)),
  };
  return staged;
}

/** Deletes the pieces of an upload that will not become an operation. */
export async function discardStagedUpload(uploadId: string) {
  await sqlPool().query(`DELETE FROM "BulkOperationUploadPart" WHERE "uploadId" = $1`, [uploadId]);
}

/**
 * Creates the operation row with the staged file, in one transaction that also deletes the pieces: the
 * operation exists (and can be claimed by a runner) only with its whole file. PostgreSQL joins the
 * pieces itself, so the file never travels back through this process.
 */
export async function storeUpload(upload: {
  type: BulkOperationType;
  mode: BulkOperationMode;
  uploaderId: string;
  fileName: string;
  staged: StagedUpload;
  /** Runs first in the insert's transaction (e.g. a limit check that must see concurrent uploads). */
  beforeInsert?: (sql: RawSql) => Promise<void>;
}): Promise<{ id: string; status: BulkOperationStatus }> {
  const now = new Date().toISOString();
  const { staged } = upload;
  const [operation] = await inTransaction(async (sql) => {
    await upload.beforeInsert?.(sql);
    const created = await sql.$queryRawUnsafe<{ id: string; status: BulkOperationStatus }[]>(
      `INSERT INTO "BulkOperation" ("id", "type", "mode", "uploaderId", "fileName", "fileSize", "fileChecksum", "fileBytes", "createdAt", "updatedAt") ` +
        `SELECT $1, $2::"BulkOperationType", $3::"BulkOperationMode", $4, $5, $6, $7, ` +
        `coalesce(string_agg("bytes", ''::bytea ORDER BY "partNumber"), ''::bytea), $9::timestamp(3), $9::timestamp(3) ` +
        `FROM "BulkOperationUploadPart" WHERE "uploadId" = $8 ` +
        `RETURNING "id", "status"::text AS "status"`,
      randomUUID(),
      upload.type,
      upload.mode,
      upload.uploaderId,
      upload.fileName,
      staged.size,
      staged.checksum,
      staged.uploadId,
      now,
    );
    await sql.$executeRawUnsafe(`DELETE FROM "BulkOperationUploadPart" WHERE "uploadId" = $1`, staged.uploadId);
    return created;
  });
  return operation;
}

/** The stored upload, byte for byte, a piece at a time: the reader holds one piece. */
export async function* readStoredUpload(operationId: string, fileSize: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < fileSize;) {
    const piece = await readStoredPiece(operationId, offset, PIECE_BYTES);
    if (piece.byteLength === 0) {
      throw new Error(`Operation ${operationId}: the stored file ended before its recorded size`);
    }
    offset += piece.byteLength;
    yield piece;
  }
}

/**
 * `length` bytes of the stored upload from `offset`. Each piece is its own short statement (the bytes
 * never change), so a slow reader holds no connection or transaction between pieces.
 */
export async function readStoredPiece(operationId: string, offset: number, length: number): Promise<Uint8Array> {
  const { rows } = await sqlPool().query<{ piece: Buffer }>(
    `SELECT substring("fileBytes" from $2 for $3) AS "piece" FROM "BulkOperation" WHERE "id" = $1`,
    [operationId, offset + 1, length],
  );
  return new Uint8Array(rows[0]?.piece ?? []);
}
