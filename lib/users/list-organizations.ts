import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { db } from "@/lib/db";

import { assertStaff } from "./assert-staff";

export type OrganizationOption = { key: string; name: string };

/** Every organization by key, for the membership pickers of the staff user screens. */
export async function listOrganizations({
  actor,
}: {
  actor: Pick<ActingUser, "isStaff">;
}): Promise<OrganizationOption[]> {
  assertStaff(actor);
  return db.organization.findMany({ select: { key: true, name: true }, orderBy: { key: "asc" } });
}
