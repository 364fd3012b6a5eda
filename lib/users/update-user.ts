import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

import { assertStaff } from "./assert-staff";
import { checkUnique, rethrowUniqueViolation } from "./check-unique";
import { resolveOrganizations } from "./resolve-organizations";
import { updateUserSchema } from "./schemas";
import { type UserDetail, toUserDetail, userDetailSelect } from "./to-user-detail";

export type UpdateUserOptions = {
  /** Must be staff. */
  actor: Pick<ActingUser, "id" | "isStaff">;
  /** The user to change. */
  id: string;
  /** Unparsed request body or form values; validated with `updateUserSchema`. */
  input: unknown;
};

/**
 * Changes the given fields only. `memberships`, when present, becomes the user's whole set: organizations
 * left out are removed, kept ones take the new role (and keep their creation date).
 */
export async function updateUser({ actor, id, input }: UpdateUserOptions): Promise<UserDetail> {
  assertStaff(actor);
  const data = updateUserSchema.parse(input);
  if (data.isStaff === false && actor.id === id) {
    // Otherwise the last staff member could lock everyone out of user management.
    throw new AppError("BAD_REQUEST", {
      userMessage: "You cannot remove your own staff flag; ask another staff member to do it.",
      details: { fieldErrors: { isStaff: "You cannot remove your own staff flag." } },
    });
  }
  return db
    .$transaction(async (tx) => {
      const existing = await tx.user.findUnique({ where: { id }, select: { id: true } });
      if (!existing) {
        throw new AppError("NOT_FOUND", { userMessage: "No such user." });
      }
      await checkUnique(tx, { username: data.username, exceptUserId: id });
      const memberships = data.memberships === undefined ? undefined : await resolveOrganizations(tx, data.memberships);

      // Always written, so that a membership-only change still moves updatedAt.
      await tx.user.update({
        where: { id },
        data: { username: data.username, name: data.name, isStaff: data.isStaff },
      });
      if (memberships !== undefined) {
        await tx.membership.deleteMany({
          where: { userId: id, organizationId: { notIn: memberships.map((m) => m.organizationId) } },
        });
        for (const m of memberships) {
          await tx.membership.upsert({
            where: { userId_organizationId: { userId: id, organizationId: m.organizationId } },
            create: { userId: id, organizationId: m.organizationId, role: m.role },
            update: { role: m.role },
          });
        }
      }
      return toUserDetail(await tx.user.findUniqueOrThrow({ where: { id }, select: userDetailSelect }));
    })
    .catch(rethrowUniqueViolation);
}
