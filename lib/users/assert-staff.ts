import type { ActingUser } from "@/lib/auth/require-user";
import { AppError } from "@/lib/errors";

/** Users and memberships are managed by staff only. */
export function assertStaff(actor: Pick<ActingUser, "isStaff">) {
  if (!actor.isStaff) {
    throw new AppError("FORBIDDEN", { userMessage: "Only staff can view and manage users and their memberships." });
  }
}
