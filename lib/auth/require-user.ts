import "server-only";

import { findUserByApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

import { isStaffOrMember } from "./staff-or-member";

export type ActingUser = {
  id: string;
  email: string;
  username: string | null;
  name: string | null;
  isStaff: boolean;
  memberships: { organizationId: string; organizationKey: string; role: "coordinator" | "author" }[];
};

async function loadActingUser(userId: string): Promise<ActingUser | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      username: true,
      name: true,
      isStaff: true,
      memberships: {
        select: { organizationId: true, role: true, organization: { select: { key: true } } },
        orderBy: { organization: { key: "asc" } },
      },
    },
  });
  if (!user) {
    return null;
  }
  return {
    ...user,
    memberships: user.memberships.map((m) => ({
      organizationId: m.organizationId,
      organizationKey: m.organization.key,
      role: m.role,
    })),
  };
}

/**
 * The user behind an `Authorization: Bearer <API token>` header when the request carries one,
 * otherwise behind the Auth.js session cookie. A bad bearer token never falls back to the cookie.
 */
export async function getActingUser(request?: Request): Promise<ActingUser | null> {
  const authorization = request?.headers.get("authorization");
  if (authorization) {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    const user = token ? await findUserByApiToken(token) : null;
    return user ? loadActingUser(user.id) : null;
  }
  // Loaded lazily: next-auth imports `next/server` in a way only Next's bundler resolves, and bearer-token
  // callers (route handlers under Vitest, scripts) must not need it.
  const { auth } = await import("@/lib/auth");
  const session = await auth();
  const userId = session?.user?.id;
  return userId ? loadActingUser(userId) : null;
}

/** The acting user, who must be staff or a member of at least one organization. */
export async function requireUser(request?: Request): Promise<ActingUser> {
  const user = await getActingUser(request);
  if (!user) {
    throw new AppError("UNAUTHENTICATED", {
      userMessage: "Sign in, or send an API token as `Authorization: Bearer <token>`.",
    });
  }
  if (!hasAccess(user)) {
    throw new AppError("FORBIDDEN", {
      userMessage: "Your account is not a member of any organization; ask staff to add you to one.",
    });
  }
  return user;
}

/** Staff and organization members use the product; anyone else is refused (403, or the no-access screen). */
export function hasAccess(user: ActingUser) {
  return user.isStaff || user.memberships.length > 0;
}

export function canActOnOrganization(user: ActingUser, organizationId: string) {
  return isStaffOrMember(
    { isStaff: user.isStaff, organizationIds: new Set(user.memberships.map((m) => m.organizationId)) },
    [organizationId],
  );
}
