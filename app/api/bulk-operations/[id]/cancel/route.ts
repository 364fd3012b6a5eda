import { apiHandler } from "@/lib/api-handler";
import { requireUser } from "@/lib/auth/require-user";
import { cancelOperation } from "@/lib/bulk/actions/confirm-operation";

// POST /api/bulk-operations/{id}/cancel – stop after the chunks in flight, or discard a preview
export const POST = apiHandler<{ id: string }>(async (request, { params }) => {
  const user = await requireUser(request);
  return Response.json(await cancelOperation({ user, id: (await params).id }), { status: 202 });
});
