import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { db } from "@/lib/db";

import { assertStaff } from "./assert-staff";
import { type UserDetail, toUserDetail, userDetailSelect } from "./to-user-detail";

/** One user with their memberships, or null; staff only. */
export async function getUser({
  actor,
  id,
}: {
  actor: Pick<ActingUser, "isStaff">;
  id: string;
}): Promise<UserDetail | null> {
  assertStaff(actor);
  const user = await db.user.findUnique({ where: { id }, select: userDetailSelect });
  return user ? toUserDetail(user) : null;
}
