import "server-only";

import { z } from "zod";

import type { ActingUser } from "@/lib/auth/require-user";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { pageOffset, substringPattern } from "@/lib/sql-params";

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

/** Courses `c` whose key or title contains `q`, ignoring case: each side matches its trigram index. */
export function courseSearchCondition(q: string) {
  const pattern = substringPattern(q);
  return Prisma.sql`(lower(c."key") LIKE lower(${pattern}) OR c."title" ILIKE ${pattern})`;
}

/**
 * One page of the courses the user may see, in key order, and how many there are. Raw SQL, because the plan
 * matters at catalog scale: keys start with the organization, so walking the key index and checking each
 * course's organizations (what the planner does with Prisma's `some` filter) reads every course of the
 * organizations sorting before the member's before the first row it keeps. A member's courses are collected
 * first from CourseOrganization instead (the same rule as visibleCoursesWhere); title and key substrings are
 * served by trigram indexes; runs and organizations are read for the page's courses only.
 */
export async function listCourses({
  user,
  q,
  organization,
  page,
  pageSize,
}: ListCoursesOptions): Promise<{ items: CourseListItem[]; total: number; page: number; pageSize: number }> {
  // The organizations a course must have one of: the member's (visibility), and those the filter names.
  const restrictions = [
    ...(user.isStaff
      ? []
      : [Prisma.sql`"organizationId" = ANY(${user.memberships.map((m) => m.organizationId)}::text[])`]),
    ...(organization
      ? [Prisma.sql`"organizationId" IN (SELECT "id" FROM "Organization" WHERE lower("key") = lower(${organization}))`]
      : []),
  ];
  const restricted = restrictions.length > 0;
  // Materialized: the planner must not turn the set back into a per-course check along the key index.
  const withCourses = restricted
    ? Prisma.sql`WITH "allowed" AS MATERIALIZED (${Prisma.join(
        restrictions.map((r) => Prisma.sql`SELECT "courseId" AS "id" FROM "CourseOrganization" WHERE ${r}`),
        " INTERSECT ",
      )}) `
    : Prisma.empty;
  const from = restricted ? Prisma.sql`"allowed" a JOIN "Course" c ON c."id" = a."id"` : Prisma.sql`"Course" c`;
  const matches = q ? Prisma.sql`WHERE ${courseSearchCondition(q)}` : Prisma.empty;

  const [rows, [{ total }]] = await Promise.all([
    db.$queryRaw<(Omit<CourseListItem, "updatedAt"> & { updatedAt: Date })[]>`
      ${withCourses}
      SELECT p."id", p."key", p."title", p."updatedAt", t."name" AS "courseType",
        (SELECT count(*)::int FROM "CourseRun" r WHERE r."courseId" = p."id") AS "runsCount",
        (SELECT coalesce(json_agg(json_build_object('key', o."key", 'name', o."name")
           ORDER BY o."key" = split_part(p."key", '+', 1) DESC, o."key"), '[]')
         FROM "CourseOrganization" co JOIN "Organization" o ON o."id" = co."organizationId"
         WHERE co."courseId" = p."id") AS "organizations"
      FROM (
        SELECT c."id", c."key", c."title", c."updatedAt", c."courseTypeId" FROM ${from} ${matches}
        ORDER BY c."key" LIMIT ${pageSize} OFFSET ${pageOffset(page, pageSize)}
      ) p JOIN "CourseType" t ON t."id" = p."courseTypeId"
      ORDER BY p."key"`,
    db.$queryRaw<{ total: number }[]>`
      ${withCourses}
      SELECT count(*)::int AS "total" FROM ${restricted && !q ? Prisma.sql`"allowed" c` : from} ${matches}`,
  ]);
  const items = rows.map((c) => ({ ...c, updatedAt: c.updatedAt.toISOString() }));
  return { items, total, page, pageSize };
}
