import { apiHandler, readJsonBody } from "@/lib/api-handler";
import { requireUser } from "@/lib/auth/require-user";
import { AppError } from "@/lib/errors";
import { assertStaff } from "@/lib/users/assert-staff";
import { getUser } from "@/lib/users/get-user";
import { updateUser } from "@/lib/users/update-user";

// GET /api/users/{id} – one user with their memberships (staff only)
export const GET = apiHandler<{ id: string }>(async (request, { params }) => {
  const actor = await requireUser(request);
  const user = await getUser({ actor, id: (await params).id });
  if (!user) {
    throw new AppError("NOT_FOUND", { userMessage: "No such user." });
  }
  return Response.json(user);
});

// PATCH /api/users/{id} – change name, username, staff flag; `memberships` replaces the whole set (staff only)
export const PATCH = apiHandler<{ id: string }>(async (request, { params }) => {
  const actor = await requireUser(request);
  // Before the body: a member's request is refused unread.
  assertStaff(actor);
  const { id } = await params;
  return Response.json(await updateUser({ actor, id, input: await readJsonBody(request) }));
});
