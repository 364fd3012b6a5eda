import "server-only";

import { z } from "zod";

import type { ActingUser } from "@/lib/auth/require-user";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Query-string filters of the course list; malformed values are dropped. */
export const listCoursesQuery = z.object({
  q: z.string().trim().min(1).max(200).optional().catch(undefined),
  organization: z.string().trim().min(1).max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).catch(1),
  pageSize: z.coerce.number().int().min(1).max(100).catch(25),
});

export type ListCoursesOptions = {
  user: ActingUser;
  /** Case-insensitive substring of the key or the title. */
  q?: string;
  /** Organization key (case-insensitive). */
  organization?: string;
  page: number;
  pageSize: number;
};

/** Staff see every course; others the courses one of their organizations authors. */
export function visibleCoursesWhere(user: ActingUser): Prisma.CourseWhereInput {
  if (user.isStaff) {
    return {};
  }
  return {
    organizations: { some: { organizationId: { in: user.memberships.map((m) => m.organizationId) } } },
  };
}

export type CourseListItem = {
  id: string;
  key: string;
  title: string;
  courseType: string;
  organizations: { key: string; name: string }[];
  runsCount: number;
  updatedAt: string;
};

export async function listCourses({
  user,
  q,
  organization,
  page,
  pageSize,
}: ListCoursesOptions): Promise<{ items: CourseListItem[]; total: number; page: number; pageSize: number }> {
  const where: Prisma.CourseWhereInput = {
    AND: [
      visibleCoursesWhere(user),
      q ? { OR: [{ key: { contains: q, mode: "insensitive" } }, { title: { contains: q, mode: "insensitive" } }] } : {},
      organization
        ? { organizations: { some: { organization: { key: { equals: organization, mode: "insensitive" } } } } }
        : {},
    ],
  };
  const [rows, total] = await Promise.all([
    db.course.findMany({
      where,
      select: {
        id: true,
        key: true,
        title: true,
        updatedAt: true,
        courseType: { select: { name: true } },
        organizations: { select: { organization: { select: { key: true, name: true } } } },
        _count: { select: { runs: true } },
      },
      orderBy: [{ key: "asc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    db.course.count({ where }),
  ]);
  const items = rows.map((c) => ({
    id: c.id,
    key: c.key,
    title: c.title,
    courseType: c.courseType.name,
    organizations: c.organizations.map((o) => o.organization),
    runsCount: c._count.runs,
    updatedAt: c.updatedAt.toISOString(),
  }));
  return { items, total, page, pageSize };
}
