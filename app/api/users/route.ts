import { apiHandler, readJsonBody, searchParamsOf } from "@/lib/api-handler";
import { requireUser } from "@/lib/auth/require-user";
import { assertStaff } from "@/lib/users/assert-staff";
import { createUser } from "@/lib/users/create-user";
import { listUsers } from "@/lib/users/list-users";
import { listUsersQuery } from "@/lib/users/schemas";

// POST /api/users – create a user with organization memberships (staff only)
export const POST = apiHandler(async (request) => {
  const actor = await requireUser(request);
  // Before the body: a member's request is refused unread.
  assertStaff(actor);
  const user = await createUser({ actor, input: await readJsonBody(request) });
  return Response.json(user, { status: 201 });
});

// GET /api/users – users with their memberships (staff only; q: email, username or name; organization; page, pageSize)
export const GET = apiHandler(async (request) => {
  const actor = await requireUser(request);
  const query = listUsersQuery.parse(searchParamsOf(request));
  return Response.json(await listUsers({ actor, ...query }));
});
