import "server-only";

import { Prisma } from "@/lib/generated/prisma/client";
import { isUuid } from "@/lib/ids";
import { type RawSql } from "@/lib/sql/set-writes";

import { type CourseInsert, type CourseRunInsert, type SeatState, courseRunTable, courseTable } from "./tables";

export interface CourseTarget {
  course: CourseInsert;
  organizationIds: string[];
  allowedRunTypeIds: Set<string>;
  runs: { run: CourseRunInsert; seats: SeatState[] }[];
}

// Every column of the table, enums as their text: the same objects Prisma's query builder returns.
const selectColumns = (spec: { columns: Record<string, string> }, alias: string) =>
  Object.entries(spec.columns)
    .map(([column, type]) =>
      type.startsWith('"') ? `${alias}."${column}"::text AS "${column}"` : `${alias}."${column}"`,
    )
    .join(", ");
const COURSE_COLUMNS = selectColumns(courseTable, "c");
const RUN_COLUMNS = selectColumns(courseRunTable, "r");

/**
 * Courses named by key or uuid, locked for this transaction (in id order, so that concurrent chunks
 * cannot deadlock), with their runs and seats: the state an update merges its row into. Raw SQL, so it
 * runs in a Prisma transaction and on a plain connection alike.
 */
export async function loadCoursesForUpdate(tx: RawSql, refs: string[]): Promise<Map<string, CourseTarget>> {
  // Each reference is looked up in the one index it can match (asking both indexes for every reference
  // costs several times more).
  const unique = [...new Set(refs)];
  const keys = unique.filter((ref) => !isUuid(ref));
  const ids = unique.filter((ref) => isUuid(ref));
  const courses = await tx.$queryRawUnsafe<CourseInsert[]>(
    `SELECT ${COURSE_COLUMNS} FROM "Course" c WHERE c."key" = ANY($1::text[]) OR c."id" = ANY($2::text[]) ORDER BY c."id" FOR UPDATE`,
    keys,
    ids,
  );
  const targets = new Map<string, CourseTarget>();
  if (courses.length === 0) {
    return targets;
  }
  const courseIds = courses.map((c) => c.id);
  const organizations = await tx.$queryRawUnsafe<{ courseId: string; organizationId: string }[]>(
    `SELECT "courseId", "organizationId" FROM "CourseOrganization" WHERE "courseId" = ANY($1::text[])`,
    courseIds,
  );
  const allowed = await tx.$queryRawUnsafe<{ courseTypeId: string; runTypeId: string }[]>(
    `SELECT "B" AS "courseTypeId", "A" AS "runTypeId" FROM "_CourseRunTypeToCourseType" WHERE "B" = ANY($1::text[])`,
    [...new Set(courses.map((c) => c.courseTypeId))],
  );
  const runs = await tx.$queryRawUnsafe<CourseRunInsert[]>(
    `SELECT ${RUN_COLUMNS} FROM "CourseRun" r WHERE r."courseId" = ANY($1::text[]) ORDER BY r."start" ASC`,
    courseIds,
  );
  const seats = await tx.$queryRawUnsafe<(SeatState & { price: string })[]>(
    `SELECT "runId", "type", "price"::text AS "price", "currency", "upgradeDeadline" FROM "Seat" WHERE "runId" = ANY($1::text[])`,
    runs.map((r) => r.id),
  );

  const seatsByRun = groupBy(seats, (s) => s.runId);
  const runsByCourse = groupBy(runs, (r) => r.courseId);
  const organizationsByCourse = groupBy(organizations, (o) => o.courseId);
  const allowedByType = groupBy(allowed, (a) => a.courseTypeId);
  for (const course of courses) {
    const target: CourseTarget = {
      course,
      organizationIds: (organizationsByCourse.get(course.id) ?? []).map((o) => o.organizationId),
      allowedRunTypeIds: new Set((allowedByType.get(course.courseTypeId) ?? []).map((a) => a.runTypeId)),
      runs: (runsByCourse.get(course.id) ?? []).map((run) => ({
        run,
        // As Prisma's Decimal prints it ("49", not "49.00"): field changes show prices this way.
        seats: (seatsByRun.get(run.id) ?? []).map((s) => ({ ...s, price: new Prisma.Decimal(s.price).toString() })),
      })),
    };
    targets.set(course.key.toLowerCase(), target);
    targets.set(course.id.toLowerCase(), target);
  }
  return targets;
}

function groupBy<T>(items: T[], key: (item: T) => string) {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) {
      group.push(item);
    } else {
      groups.set(key(item), [item]);
    }
  }
  return groups;
}

/** Runs by key with their course. Every update path locks the course row, which guards its runs too. */
export async function loadRunsForUpdate(tx: RawSql, runKeys: string[]) {
  const courseIds = await tx.$queryRawUnsafe<{ courseId: string }[]>(
    `SELECT DISTINCT "courseId" FROM "CourseRun" WHERE "key" = ANY($1::text[])`,
    [...new Set(runKeys)],
  );
  const courses = await loadCoursesForUpdate(
    tx,
    courseIds.map((c) => c.courseId),
  );
  const runs = new Map<string, { target: CourseTarget; index: number }>();
  for (const target of new Set(courses.values())) {
    target.runs.forEach(({ run }, index) => runs.set(run.key.toLowerCase(), { target, index }));
  }
  return runs;
}
