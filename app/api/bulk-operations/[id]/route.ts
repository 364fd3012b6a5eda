import { apiHandler } from "@/lib/api-handler";
import { requireUser } from "@/lib/auth/require-user";
import { getOperation } from "@/lib/bulk/results/get-operation";
import { AppError } from "@/lib/errors";

// GET /api/bulk-operations/{id} – status, counts, errors grouped by code, timestamps, uploader
export const GET = apiHandler<{ id: string }>(async (request, { params }) => {
  const user = await requireUser(request);
  const operation = await getOperation({ user, id: (await params).id });
  if (!operation) {
    throw new AppError("NOT_FOUND", { userMessage: "No such bulk operation (or it is not visible to you)." });
  }
  return Response.json(operation);
});
