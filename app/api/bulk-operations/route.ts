import { apiHandler, searchParamsOf } from "@/lib/api-handler";
import { requireUser } from "@/lib/auth/require-user";
import { startOperation } from "@/lib/bulk/actions/start-operation";
import { listOperations, listOperationsQuery } from "@/lib/bulk/results/list-operations";
import { readUpload } from "@/lib/bulk/upload/read-upload";

// POST /api/bulk-operations – upload a CSV (multipart `file`, `type`, optional `mode`) and start the job
// readUpload enforces the upload limit itself, with a message about the file.
export const POST = apiHandler(
  async (request) => {
    const user = await requireUser(request);
    const { input, file } = await readUpload(request);
    const operation = await startOperation({ user, input, file });
    return Response.json(operation, { status: 201 });
  },
  { maxBodyBytes: Number.POSITIVE_INFINITY },
);

// GET /api/bulk-operations – history visible to the caller (filters status, type, uploader; page, pageSize)
export const GET = apiHandler(async (request) => {
  const user = await requireUser(request);
  const query = listOperationsQuery.parse(searchParamsOf(request));
  return Response.json(await listOperations({ user, ...query }));
});
