import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Who may see an operation: staff, its uploader, and members of *every* organization its rows target
 * (recorded when it is validated; see recordOperationTargets). Until then, and for a file that targets no
 * organization, only staff and the uploader. Nobody's current memberships widen it: a member of one of the
 * uploader's organizations does not see rows about another organization's courses.
 */
export function visibleOperationsWhere(user: ActingUser): Prisma.BulkOperationWhereInput {
  if (user.isStaff) {
    return {};
  }
  const organizationIds = user.memberships.map((m) => m.organizationId);
  return {
    OR: [
      { uploaderId: user.id },
      { AND: [{ targets: { some: {} } }, { targets: { every: { organizationId: { in: organizationIds } } } }] },
    ],
  };
}

export type OperationAction = "confirm" | "cancel";

/** What the user may do to an operation they can see. */
export function operationPermissions(
  user: ActingUser,
  operation: { uploaderId: string; targetOrganizationIds: string[] },
): Record<OperationAction, boolean> {
  const ownsIt = user.isStaff || operation.uploaderId === user.id;
  const coordinates = new Set(user.memberships.filter((m) => m.role === "coordinator").map((m) => m.organizationId));
  return {
    // Confirming applies the rows with the uploader's rights, so it is the uploader's (or staff's) decision.
    confirm: ownsIt,
    // Stopping is safe: a coordinator of every organization the file touches may also stop it.
    cancel:
      ownsIt ||
      (operation.targetOrganizationIds.length > 0 &&
        operation.targetOrganizationIds.every((id) => coordinates.has(id))),
  };
}

/** A visible operation the user may act on this way: 404 when they cannot see it, 403 when they may not act. */
export async function findActionable(user: ActingUser, id: string, action: OperationAction) {
  const operation = await db.bulkOperation.findFirst({
    where: { AND: [{ id }, visibleOperationsWhere(user)] },
    select: { status: true, uploaderId: true, targets: { select: { organizationId: true } } },
  });
  if (!operation) {
    throw new AppError("NOT_FOUND", { userMessage: "No such bulk operation (or it is not visible to you)." });
  }
  const targetOrganizationIds = operation.targets.map((t) => t.organizationId);
  if (!operationPermissions(user, { uploaderId: operation.uploaderId, targetOrganizationIds })[action]) {
    throw new AppError("FORBIDDEN", {
      userMessage:
        action === "confirm"
          ? "Only the uploader or staff can confirm this operation."
          : "Only the uploader, staff or a coordinator of every organization the file targets can cancel this operation.",
    });
  }
  return operation;
}
