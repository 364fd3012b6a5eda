import type { Prisma } from "@/lib/generated/prisma/client";

import type { MEMBERSHIP_ROLES } from "./schemas";

/** A user as the users API returns it and the staff screens show it. */
export type UserDetail = {
  id: string;
  email: string;
  username: string | null;
  name: string | null;
  isStaff: boolean;
  /** Ordered by organization key. */
  memberships: { organization: string; role: (typeof MEMBERSHIP_ROLES)[number] }[];
  createdAt: string;
  updatedAt: string;
};

export const userDetailSelect = {
  id: true,
  email: true,
  username: true,
  name: true,
  isStaff: true,
  createdAt: true,
  updatedAt: true,
  memberships: {
    select: { role: true, organization: { select: { key: true } } },
    orderBy: { organization: { key: "asc" } },
  },
} satisfies Prisma.UserSelect;

type SelectedUser = Prisma.UserGetPayload<{ select: typeof userDetailSelect }>;

export function toUserDetail(user: SelectedUser): UserDetail {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    name: user.name,
    isStaff: user.isStaff,
    memberships: user.memberships.map((m) => ({ organization: m.organization.key, role: m.role })),
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
