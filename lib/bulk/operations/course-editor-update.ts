import "server-only";

import { z } from "zod";

import { isStaffOrMember } from "@/lib/auth/staff-or-member";
import { textCell } from "@/lib/bulk/csv/cells";
import type { RowErrorCode } from "@/lib/bulk/vocabulary/error-codes";
import { type CourseEditorInsert, courseEditorTable } from "@/lib/catalog/tables";
import { isUuid, orderedId } from "@/lib/ids";
import { type Tx, insertRows } from "@/lib/sql/set-writes";

import type { ApplyContext, OperationDefinition, ParsedRow } from "./definition";
import { mayChangeCourse, notFoundMessage } from "./permissions";
import { type BulkRowResult, failure } from "./row-result";

const example = (value: string) => ({ example: value });

/** One row of a "Course Editor Updates" CSV: adds or removes one editor of one course. */
export const courseEditorUpdateRowSchema = z.object({
  username_or_email: textCell({ max: 255 }).meta(example("author@example.com")),
  course_key_or_uuid: textCell({ max: 255 }).meta(example("edX+DS101")),
  // Any text: an unknown action is reported as UNSUPPORTED_ACTION by `apply`, as upstream does.
  action: textCell({ max: 255 }).meta(example("add")),
});

type CourseEditorUpdateRow = z.infer<typeof courseEditorUpdateRowSchema>;

export const courseEditorUpdate: OperationDefinition<typeof courseEditorUpdateRowSchema> = {
  type: "course_editor_update",
  rowSchema: courseEditorUpdateRowSchema,
  rejectedRowCode: "COURSE_EDITOR_ADD_ERROR",
  // Adding then removing the same editor in one file is legitimate; rows apply in order.
  targetKey: () => null,
  targetColumns: { course_key_or_uuid: "course" },
  apply: applyCourseEditorUpdate,
};

type TargetUser = Awaited<ReturnType<typeof loadUsers>>[number];
type TargetCourse = Awaited<ReturnType<typeof loadCourses>>[number];

const pairOf = (userId: string, courseId: string) => `${userId}|${courseId}`;

async function applyCourseEditorUpdate(
  context: ApplyContext,
  rows: ParsedRow<CourseEditorUpdateRow>[],
): Promise<BulkRowResult[]> {
  const { tx, uploader, now } = context;
  const users = await loadUsers(
    tx,
    rows.map((r) => r.row.username_or_email),
  );
  const courses = await loadCourses(
    tx,
    rows.map((r) => r.row.course_key_or_uuid),
  );
  const findUser = userFinder(users);
  const findCourse = courseFinder(courses);
  const initial = await loadEditorPairs(
    tx,
    users.map((u) => u.id),
    courses.map((c) => c.id),
  );
  // Rows apply in file order against this in-memory state; only the net change is written.
  const isEditor = new Set(initial);
  const results: BulkRowResult[] = [];

  for (const { rowNumber, row } of rows) {
    const fail = (code: RowErrorCode, column: string, message: string) =>
      results.push(failure(rowNumber, code, column, message));
    const action = row.action.toLowerCase();
    if (action !== "add" && action !== "remove") {
      fail("UNSUPPORTED_ACTION", "action", `${row.action} is not a supported action (use add or remove)`);
      continue;
    }
    const course = findCourse(row.course_key_or_uuid);
    const courseOrganizationIds = course?.organizations.map((o) => o.organizationId) ?? [];
    if (!course || !mayChangeCourse(uploader, courseOrganizationIds)) {
      fail("COURSE_NOT_FOUND", "course_key_or_uuid", notFoundMessage(uploader, `course ${row.course_key_or_uuid}`));
      continue;
    }
    const user = findUser(row.username_or_email);
    // People outside the uploader's organizations are not theirs to look up, unless already this course's editors.
    const visible =
      user &&
      (isStaffOrMember(
        uploader,
        user.memberships.map((m) => m.organizationId),
      ) ||
        isEditor.has(pairOf(user.id, course.id)));
    if (!visible) {
      fail(
        "USER_NOT_FOUND",
        "username_or_email",
        uploader.isStaff
          ? `no user has the username or email ${row.username_or_email}`
          : `no user in your organizations has the username or email ${row.username_or_email}`,
      );
      continue;
    }

    const pair = pairOf(user.id, course.id);
    const who = user.username ?? user.email;
    const done = (status: BulkRowResult["status"], changes: BulkRowResult["changes"]) =>
      results.push({
        rowNumber,
        status,
        targetKey: course.key,
        errorCode: null,
        errorColumn: null,
        errorMessage: null,
        courseId: course.id,
        courseRunId: null,
        changes,
      });

    if (action === "add") {
      if (!user.memberships.some((m) => courseOrganizationIds.includes(m.organizationId))) {
        fail(
          "USER_ORG_MISMATCH",
          "username_or_email",
          `${who} is not a member of an organization of course ${course.key}, so cannot be its editor`,
        );
      } else if (isEditor.has(pair)) {
        done("unchanged", null);
      } else {
        isEditor.add(pair);
        done("created", { editor: { before: null, after: who } });
      }
    } else if (isEditor.has(pair)) {
      isEditor.delete(pair);
      done("updated", { editor: { before: who, after: null } });
    } else {
      fail("COURSE_EDITOR_REMOVE_ERROR", "username_or_email", `${who} is not an editor of course ${course.key}`);
    }
  }

  const split = (pair: string) => {
    const [userId, courseId] = pair.split("|");
    return { userId, courseId };
  };
  await insertRows<CourseEditorInsert>(
    tx,
    courseEditorTable,
    [...isEditor].filter((p) => !initial.has(p)).map((p) => ({ id: orderedId(), ...split(p), createdAt: now })),
  );
  await deleteEditors(tx, [...initial].filter((p) => !isEditor.has(p)).map(split));
  return results;
}

/** Users a chunk names, by email (any case) or username. */
function loadUsers(tx: Tx, identifiers: string[]) {
  const unique = [...new Set(identifiers)];
  return tx.user.findMany({
    where: {
      OR: [
        { email: { in: unique.filter((i) => i.includes("@")), mode: "insensitive" } },
        { username: { in: unique, mode: "insensitive" } },
      ],
    },
    select: { id: true, email: true, username: true, memberships: { select: { organizationId: true } } },
  });
}

/** An exact username wins, then an email (any case), then a username differing only in case when just one does. */
function userFinder(users: TargetUser[]) {
  const byUsername = new Map(users.filter((u) => u.username).map((u) => [u.username!, u]));
  const byEmail = new Map(users.map((u) => [u.email.toLowerCase(), u]));
  const byUsernameAnyCase = new Map<string, TargetUser | null>();
  for (const user of users.filter((u) => u.username)) {
    const folded = user.username!.toLowerCase();
    byUsernameAnyCase.set(folded, byUsernameAnyCase.has(folded) ? null : user);
  }
  return (identifier: string) =>
    byUsername.get(identifier) ??
    byEmail.get(identifier.toLowerCase()) ??
    byUsernameAnyCase.get(identifier.toLowerCase()) ??
    undefined;
}

/** Courses a chunk names, by key or by uuid. */
function loadCourses(tx: Tx, keysOrIds: string[]) {
  const unique = [...new Set(keysOrIds)];
  return tx.course.findMany({
    where: {
      OR: [
        { id: { in: unique.filter((v) => isUuid(v)).map((v) => v.toLowerCase()) } },
        { key: { in: unique.filter((v) => !isUuid(v)) } },
      ],
    },
    select: { id: true, key: true, organizations: { select: { organizationId: true } } },
  });
}

function courseFinder(courses: TargetCourse[]) {
  const byKeyOrId = new Map(courses.flatMap((c) => [[c.key, c] as const, [c.id, c] as const]));
  return (keyOrId: string) => byKeyOrId.get(isUuid(keyOrId) ? keyOrId.toLowerCase() : keyOrId);
}

/** Existing (user, course) editor pairs among the chunk's users and courses. */
async function loadEditorPairs(tx: Tx, userIds: string[], courseIds: string[]) {
  if (userIds.length === 0 || courseIds.length === 0) {
    return new Set<string>();
  }
  const editors = await tx.courseEditor.findMany({
    where: { userId: { in: [...new Set(userIds)] }, courseId: { in: [...new Set(courseIds)] } },
    select: { userId: true, courseId: true },
  });
  return new Set(editors.map((e) => pairOf(e.userId, e.courseId)));
}

async function deleteEditors(tx: Tx, pairs: { userId: string; courseId: string }[]) {
  if (pairs.length === 0) {
    return;
  }
  await tx.$executeRawUnsafe(
    `DELETE FROM "CourseEditor" AS e USING jsonb_to_recordset($1::jsonb) AS r("userId" text, "courseId" text) ` +
      `WHERE e."userId" = r."userId" AND e."courseId" = r."courseId"`,
    JSON.stringify(pairs),
  );
}
