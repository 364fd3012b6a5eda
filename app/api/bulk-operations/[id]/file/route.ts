import { apiHandler } from "@/lib/api-handler";
import { requireUser } from "@/lib/auth/require-user";
import { getOperationFile } from "@/lib/bulk/results/get-operation-file";
import { AppError } from "@/lib/errors";
import { contentDisposition } from "@/lib/http";

// GET /api/bulk-operations/{id}/file – the original upload, byte for byte (streamed from the database in pieces)
export const GET = apiHandler<{ id: string }>(async (request, { params }) => {
  const user = await requireUser(request);
  const file = await getOperationFile({ user, id: (await params).id });
  if (!file) {
    throw new AppError("NOT_FOUND", { userMessage: "No such bulk operation (or it is not visible to you)." });
  }
  return new Response(file.stream, {
    headers: {
      "content-type": "text/csv",
      "content-length": String(file.fileSize),
      "content-disposition": contentDisposition(file.fileName),
      "x-checksum-sha256": file.fileChecksum,
    },
  });
});
