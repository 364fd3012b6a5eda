import { apiHandler, searchParamsOf } from "@/lib/api-handler";
import { requireUser } from "@/lib/auth/require-user";
import { getOperation } from "@/lib/bulk/results/get-operation";
import { listOperationRows, listOperationRowsQuery } from "@/lib/bulk/results/list-operation-rows";
import { AppError } from "@/lib/errors";

// GET /api/bulk-operations/{id}/rows – per-row results (filters status|rowStatus, errorCode, q; page, pageSize)
export const GET = apiHandler<{ id: string }>(async (request, { params }) => {
  const user = await requireUser(request);
  const { id } = await params;
  if (!(await getOperation({ user, id }))) {
    throw new AppError("NOT_FOUND", { userMessage: "No such bulk operation (or it is not visible to you)." });
  }
  const raw = searchParamsOf(request);
  const query = listOperationRowsQuery.parse({ ...raw, rowStatus: raw.rowStatus ?? raw.status });
  return Response.json(await listOperationRows({ user, operationId: id, status: query.rowStatus, ...query }));
});
