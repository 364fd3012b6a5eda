import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { sqlPool } from "@/lib/catalog/sql-pool";
import { db } from "@/lib/db";

import { visibleOperationsWhere } from "./operation-access";

/** Bytes of the stored upload read from PostgreSQL at a time while the download streams out. */
const PIECE_BYTES = 1024 * 1024;

/**
 * The original upload, byte for byte, or null when the operation is not visible to the user. `stream`
 * reads the bytes from PostgreSQL a piece at a time as the client reads them, never the whole file.
 */
export async function getOperationFile({ user, id }: { user: ActingUser; id: string }) {
  const operation = await db.bulkOperation.findFirst({
    where: { AND: [{ id }, visibleOperationsWhere(user)] },
    select: { fileName: true, fileSize: true, fileChecksum: true },
  });
  if (!operation) {
    return null;
  }
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (offset >= operation.fileSize) {
          controller.close();
          return;
        }
        const piece = await readPiece(id, offset, PIECE_BYTES);
        if (piece.byteLength === 0) {
          controller.error(new Error(`Operation ${id}: the stored file ended before its recorded size`));
          return;
        }
        offset += piece.byteLength;
        controller.enqueue(piece);
      },
    },
    // Read the next piece only when the client has taken the previous one.
    { highWaterMark: 0 },
  );
  return { ...operation, stream };
}

/**
 * `length` bytes of the stored upload from `offset`. Each piece is its own short statement (the bytes
 * never change), so a slow download holds no connection or transaction between pieces.
 */
async function readPiece(operationId: string, offset: number, length: number): Promise<Uint8Array> {
  const { rows } = await sqlPool().query<{ piece: Buffer }>(
    `SELECT substring("fileBytes" from $2 for $3) AS "piece" FROM "BulkOperation" WHERE "id" = $1`,
    [operationId, offset + 1, length],
  );
  return new Uint8Array(rows[0]?.piece ?? []);
}
