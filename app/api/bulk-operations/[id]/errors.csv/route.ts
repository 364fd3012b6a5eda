import { apiHandler } from "@/lib/api-handler";
import { requireUser } from "@/lib/auth/require-user";
import { buildErrorCsv } from "@/lib/bulk/results/build-error-csv";
import { AppError } from "@/lib/errors";
import { contentDisposition } from "@/lib/http";

// GET /api/bulk-operations/{id}/errors.csv – failed rows with their original columns plus error_code, error_message
// (streamed: the rows are read in batches as the client downloads)
export const GET = apiHandler<{ id: string }>(async (request, { params }) => {
  const user = await requireUser(request);
  const errors = await buildErrorCsv({ user, id: (await params).id });
  if (!errors) {
    throw new AppError("NOT_FOUND", { userMessage: "No such bulk operation (or it is not visible to you)." });
  }
  return new Response(errors.stream, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": contentDisposition(errors.fileName) },
  });
});
