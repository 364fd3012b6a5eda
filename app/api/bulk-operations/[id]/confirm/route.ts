import { apiHandler } from "@/lib/api-handler";
import { requireUser } from "@/lib/auth/require-user";
import { confirmOperation } from "@/lib/bulk/actions/confirm-operation";

// POST /api/bulk-operations/{id}/confirm – apply a previewed operation
export const POST = apiHandler<{ id: string }>(async (request, { params }) => {
  const user = await requireUser(request);
  return Response.json(await confirmOperation({ user, id: (await params).id }), { status: 202 });
});
