import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { db } from "@/lib/db";

import { visibleOperationsWhere } from "./operation-access";

/** The original upload, byte for byte, or null when the operation is not visible to the user. */
export async function getOperationFile({ user, id }: { user: ActingUser; id: string }) {
  return db.bulkOperation.findFirst({
    where: { AND: [{ id }, visibleOperationsWhere(user)] },
    select: { fileName: true, fileBytes: true, fileChecksum: true },
  });
}
