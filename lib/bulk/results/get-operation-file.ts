import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { visibleOperationsWhere } from "@/lib/bulk/access/operation-access";
import { PIECE_BYTES, readStoredPiece } from "@/lib/bulk/upload/store-upload";
import { db } from "@/lib/db";

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
        const piece = await readStoredPiece(id, offset, PIECE_BYTES);
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
