import "server-only";

import type { CourseInsert, CourseRunInsert, Tx } from "./tables";
import { lockRows } from "./tables";
import type { SeatState } from "@/lib/bulk/run-changes";

export interface CourseTarget {
  course: CourseInsert;
  organizationIds: string[];
  allowedRunTypeIds: Set<string>;
  runs: { run: CourseRunInsert; seats: SeatState[] }[];
}

const runInclude = { seats: { select: { runId: true, type: true, price: true, currency: true, upgradeDeadline: true } } } as const;

function toSeatStates(seats: { runId: string; type: string; price: { toString(): string }; currency: string; upgradeDeadline: Date | null }[]) {
  return seats.map((s) => ({ ...s, price: s.price.toString() }));
}

/**
 * Courses named by key or uuid, locked for this transaction, with their runs and seats: the state an
 * update merges its row into.
 */
export async function loadCoursesForUpdate(tx: Tx, refs: string[]): Promise<Map<string, CourseTarget>> {
  const unique = [...new Set(refs)];
  const ids = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT "id" FROM "Course" WHERE "key" = ANY($1::text[]) OR "id" = ANY($1::text[])`,
    unique,
  );
  await lockRows(
    tx,
    "Course",
    ids.map((r) => r.id),
  );
  const courses = await tx.course.findMany({
    where: { id: { in: ids.map((r) => r.id) } },
    include: {
      organizations: { select: { organizationId: true } },
      courseType: { select: { allowedRunTypes: { select: { id: true } } } },
      runs: { include: runInclude, orderBy: { start: "asc" } },
    },
  });
  const targets = new Map<string, CourseTarget>();
  for (const { organizations, courseType, runs, ...course } of courses) {
    const target: CourseTarget = {
      course,
      organizationIds: organizations.map((o) => o.organizationId),
      allowedRunTypeIds: new Set(courseType.allowedRunTypes.map((r) => r.id)),
      runs: runs.map(({ seats, ...run }) => ({ run, seats: toSeatStates(seats) })),
    };
    targets.set(course.key.toLowerCase(), target);
    targets.set(course.id.toLowerCase(), target);
  }
  return targets;
}

/** Runs by key with their course. Every update path locks the course row, which guards its runs too. */
export async function loadRunsForUpdate(tx: Tx, runKeys: string[]) {
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
