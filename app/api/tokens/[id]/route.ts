import { apiHandler } from "@/lib/api-handler";
import { revokeApiToken } from "@/lib/auth/api-tokens";
import { requireUser } from "@/lib/auth/require-user";

// DELETE /api/tokens/{id} – revokes one of the caller's own tokens → 200 with the token, now revoked (again: the same)
export const DELETE = apiHandler<{ id: string }>(async (request, { params }) => {
  const user = await requireUser(request);
  return Response.json(await revokeApiToken({ userId: user.id, tokenId: (await params).id }));
});
