import { apiHandler, readJsonBody, searchParamsOf } from "@/lib/api-handler";
import { createApiTokenSchema, listApiTokensQuery } from "@/lib/auth/api-token-schemas";
import { assertSessionRequest, createApiToken, listApiTokens } from "@/lib/auth/api-tokens";
import { requireUser } from "@/lib/auth/require-user";

// GET /api/tokens – the caller's own API tokens, newest first, with their status (page, pageSize); never a secret
export const GET = apiHandler(async (request) => {
  const user = await requireUser(request);
  const query = listApiTokensQuery.parse(searchParamsOf(request));
  return Response.json(await listApiTokens({ userId: user.id, ...query }));
});

// POST /api/tokens – { name, expiresInDays } → 201 { id, name, token, expiresAt }: the token is shown this once (browser session only)
export const POST = apiHandler(async (request) => {
  const user = await requireUser(request);
  assertSessionRequest(request);
  const input = createApiTokenSchema.parse(await readJsonBody(request));
  return Response.json(await createApiToken({ userId: user.id, ...input }), {
    status: 201,
    headers: { "Cache-Control": "no-store" },
  });
});
