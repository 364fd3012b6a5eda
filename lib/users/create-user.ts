import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { db } from "@/lib/db";

import { assertStaff } from "./assert-staff";
import { checkUnique, rethrowUniqueViolation } from "./check-unique";
import { resolveOrganizations } from "./resolve-organizations";
import { createUserSchema } from "./schemas";
import { type UserDetail, toUserDetail, userDetailSelect } from "./to-user-detail";

export type CreateUserOptions = {
  /** Must be staff. */
  actor: Pick<ActingUser, "isStaff">;
  /** Unparsed request body or form values; validated with `createUserSchema`. */
  input: unknown;
};

/** Creates a user (email lowercased) with their organization memberships. */
export async function createUser({ actor, input }: CreateUserOptions): Promise<UserDetail> {
  assertStaff(actor);
  const data = createUserSchema.parse(input);
  return db
    .$transaction(async (tx) => {
      await checkUnique(tx, { email: data.email, username: data.username });
      const memberships = await resolveOrganizations(tx, data.memberships);
      const user = await tx.user.create({
        data: {
          email: data.email,
          username: data.username,
          name: data.name,
          isStaff: data.isStaff,
          memberships: { create: memberships },
        },
        select: userDetailSelect,
      });
      return toUserDetail(user);
    })
    .catch(rethrowUniqueViolation);
}
