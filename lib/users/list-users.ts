import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

import { assertStaff } from "./assert-staff";
import type { ListUsersQuery } from "./schemas";
import { type UserDetail, toUserDetail, userDetailSelect } from "./to-user-detail";

export type ListUsersOptions = ListUsersQuery & {
  /** Must be staff. */
  actor: Pick<ActingUser, "isStaff">;
};

/** Users ordered by email, with search (email, username, name) and an organization filter; staff only. */
export async function listUsers({
  actor,
  q,
  organization,
  page,
  pageSize,
}: ListUsersOptions): Promise<{ items: UserDetail[]; total: number; page: number; pageSize: number }> {
  assertStaff(actor);
  const where: Prisma.UserWhereInput = {
    AND: [
      q
        ? {
            OR: [
              { email: { contains: q, mode: "insensitive" } },
              { username: { contains: q, mode: "insensitive" } },
              { name: { contains: q, mode: "insensitive" } },
            ],
          }
        : {},
      organization
        ? { memberships: { some: { organization: { key: { equals: organization, mode: "insensitive" } } } } }
        : {},
    ],
  };
  const [users, total] = await Promise.all([
    db.user.findMany({
      where,
      select: userDetailSelect,
      orderBy: [{ email: "asc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    db.user.count({ where }),
  ]);
  return { items: users.map(toUserDetail), total, page, pageSize };
}
