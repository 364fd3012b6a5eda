import "server-only";

import { z } from "zod";

import { show, textCell } from "@/lib/bulk/csv/cells";
import type { RowErrorCode } from "@/lib/bulk/vocabulary/error-codes";
import { type CourseTarget, loadCoursesForUpdate } from "@/lib/catalog/load-for-update";
import type { ReferenceData } from "@/lib/catalog/reference-data";
import { loadReferenceData } from "@/lib/catalog/reference-data";
import { sanitizeRichText } from "@/lib/catalog/sanitize-rich-text";
import {
  type CourseInsert,
  type CourseRunInsert,
  type SeatInsert,
  courseRunTable,
  courseTable,
  replaceSeats,
} from "@/lib/catalog/tables";
import { orderedId } from "@/lib/ids";
import { type RawSql, updateRows } from "@/lib/sql/set-writes";

import { courseColumns } from "./course-fields";
import type { ApplyContext, OperationDefinition, ParsedRow } from "./definition";
import { expectedModifiedCell, staleTarget } from "./expected-modified";
import { mayChangeCourse, notFoundMessage } from "./permissions";
import { type BulkRowResult, failure } from "./row-result";
import {
  type Changes,
  type RunUpdateFields,
  mentionsRun,
  planRunChanges,
  readable,
  runUpdateColumns,
} from "./run-changes";

const example = (value: string) => ({ example: value });

/**
 * One row of a "Course Updates" CSV: the course (by key or uuid) and the course columns to change.
 * For upstream compatibility a row may also name a run (`course_run_key`) and carry its run columns.
 */
export const courseUpdateRowSchema = z
  .object({
    course_key: textCell({ max: 255 }).optional().meta(example("edX+DemoX")),
    course_uuid: textCell({ max: 64 }).optional().meta(example("")),
    course_run_key: textCell({ max: 255 }).optional().meta(example("")),
    course_enrollment_track: textCell({ max: 255 }).optional().meta(example("")),
    expected_modified: expectedModifiedCell,
    ...courseColumns,
    title: courseColumns.title.optional().meta(example("Introduction to Data Science (2nd edition)")),
    ...runUpdateColumns,
  })
  .superRefine((row, ctx) => {
    if (!row.course_key && !row.course_uuid) {
      ctx.addIssue({ code: "custom", path: ["course_key"], message: "course_key (or course_uuid) is required" });
    }
  });

type CourseUpdateRow = z.infer<typeof courseUpdateRowSchema>;

export const courseUpdate: OperationDefinition<typeof courseUpdateRowSchema> = {
  type: "course_update",
  rowSchema: courseUpdateRowSchema,
  keyColumns: ["course_key", "course_uuid"],
  rejectedRowCode: "COURSE_UPDATE_ERROR",
  transaction: "sql",
  // Rows naming different runs of one course are legitimate; the same course-and-run twice is not.
  targetKey: (row) => `${row.course_key ?? row.course_uuid}|${row.course_run_key ?? ""}`.toLowerCase(),
  targetColumns: { course_key: "course", course_uuid: "course", course_run_key: "run" },
  apply: applyCourseUpdate,
};

type CourseFieldKind = "text" | "rich" | "list" | "boolean" | "levelType" | "subject";

/**
 * Course column → the course field it writes. Every course column of the schema must be here (the
 * compiler says so), so a column added to the schema cannot be accepted and silently left unwritten.
 */
const COURSE_FIELD_WRITES = {
  title: ["title", "text"],
  image: ["imageUrl", "text"],
  short_description: ["shortDescription", "rich"],
  long_description: ["fullDescription", "rich"],
  what_will_you_learn: ["outcome", "rich"],
  syllabus: ["syllabus", "rich"],
  prerequisites: ["prerequisites", "rich"],
  frequently_asked_questions: ["faq", "rich"],
  learner_testimonials: ["learnerTestimonials", "rich"],
  additional_information: ["additionalInformation", "rich"],
  about_video_link: ["videoUrl", "text"],
  level_type: ["levelTypeId", "levelType"],
  primary_subject: ["primarySubjectId", "subject"],
  secondary_subject: ["secondarySubjectId", "subject"],
  tertiary_subject: ["tertiarySubjectId", "subject"],
  collaborators: ["collaborators", "list"],
  topics: ["topics", "list"],
  watchers: ["watchers", "list"],
  url_slug: ["urlSlug", "text"],
  enterprise_subscription_inclusion: ["enterpriseSubscriptionInclusion", "boolean"],
} as const satisfies Record<keyof typeof courseColumns, readonly [keyof CourseInsert, CourseFieldKind]>;

const COURSE_FIELDS = Object.entries(COURSE_FIELD_WRITES).map(
  ([column, [field, kind]]) => [column as keyof typeof courseColumns, field, kind] as const,
);

type Failure = { code: RowErrorCode; column: string | null; message: string };

async function applyCourseUpdate(
  context: ApplyContext<RawSql>,
  rows: ParsedRow<CourseUpdateRow>[],
): Promise<BulkRowResult[]> {
  const { tx, uploader, now } = context;
  const reference = await loadReferenceData(tx);
  const courses = await loadCoursesForUpdate(
    tx,
    rows.map((r) => (r.row.course_key ?? r.row.course_uuid)!),
  );
  const takenSlugs = await slugsInUse(tx, rows);
  const results: BulkRowResult[] = [];
  const changedCourses = new Map<string, CourseInsert>();
  const changedRuns = new Map<string, CourseRunInsert>();
  const reseated = new Map<string, SeatInsert[]>();

  for (const { rowNumber, row } of rows) {
    const ref = (row.course_key ?? row.course_uuid)!;
    const target = courses.get(ref.toLowerCase());
    if (!target || !mayChangeCourse(uploader, target.organizationIds)) {
      results.push(
        failure(
          rowNumber,
          "COURSE_NOT_FOUND",
          row.course_key ? "course_key" : "course_uuid",
          notFoundMessage(uploader, `course ${ref}`),
        ),
      );
      continue;
    }
    const stale = staleTarget(rowNumber, target.course, row.expected_modified);
    if (stale) {
      results.push(stale);
      continue;
    }
    const plan = planCourseRow(target, row, reference, takenSlugs, now);
    if ("code" in plan) {
      results.push(failure(rowNumber, plan.code, plan.column, plan.message));
      continue;
    }
    // Later rows of the same course build on this row's result.
    target.course = plan.course;
    for (const run of plan.runs) {
      const index = target.runs.findIndex((r) => r.run.id === run.run.id);
      target.runs[index] = { run: run.run, seats: run.seats ?? target.runs[index].seats };
      changedRuns.set(run.run.id, run.run);
      if (run.seats) {
        reseated.set(
          run.run.id,
          run.seats.map((s) => ({ ...s, id: orderedId() })),
        );
      }
    }
    const changed = Object.keys(plan.changes).length > 0;
    if (changed) {
      changedCourses.set(plan.course.id, plan.course);
    }
    results.push({
      rowNumber,
      status: changed ? "updated" : "unchanged",
      targetKey: plan.course.key,
      errorCode: null,
      errorColumn: null,
      errorMessage: null,
      courseId: plan.course.id,
      courseRunId: plan.runs[0]?.run.id ?? null,
      changes: changed ? plan.changes : null,
    });
  }

  await updateRows(tx, courseTable, [...changedCourses.values()]);
  await updateRows(tx, courseRunTable, [...changedRuns.values()]);
  await replaceSeats(tx, [...reseated.keys()], [...reseated.values()].flat());
  return results;
}

interface CoursePlan {
  course: CourseInsert;
  runs: { run: CourseRunInsert; seats: Omit<SeatInsert, "id">[] | null }[];
  changes: Changes;
}

function planCourseRow(
  target: CourseTarget,
  row: CourseUpdateRow,
  reference: ReferenceData,
  takenSlugs: Map<string, string>,
  now: Date,
): CoursePlan | Failure {
  const before = target.course;
  const course: CourseInsert = { ...before };
  for (const [column, field, kind] of COURSE_FIELDS) {
    const value = row[column];
    if (value === undefined) {
      continue;
    }
    const resolved = resolveCourseValue(kind, value, reference);
    // A blank cell leaves a field alone; markup with nothing left once unsafe parts are removed must not clear it.
    if (resolved === null && kind === "rich") {
      return {
        code: "INVALID_VALUE",
        column,
        message: `${show(String(value))} has no text left once unsafe HTML (scripts, event handlers, frames) is removed; write the text as plain HTML such as <p>…</p>, or leave the cell blank to keep the current value`,
      };
    }
    if (resolved === undefined) {
      return { code: "INVALID_VALUE", column, message: `${String(value)} is not a known ${column.replace(/_/g, " ")}` };
    }
    (course as unknown as Record<string, unknown>)[field] = resolved;
  }
  if (row.url_slug !== undefined && row.url_slug !== before.urlSlug) {
    const owner = takenSlugs.get(row.url_slug);
    if (owner && owner !== before.id) {
      return {
        code: "COURSE_UPDATE_ERROR",
        column: "url_slug",
        message: `url_slug ${row.url_slug} is already used by another course`,
      };
    }
    takenSlugs.set(row.url_slug, before.id);
  }

  let runsToRetype: CourseTarget["runs"] = [];
  if (row.course_enrollment_track !== undefined) {
    const courseType = reference.courseTypes.get(row.course_enrollment_track.toLowerCase());
    if (!courseType) {
      return {
        code: "MISSING_COURSE_TYPE",
        column: "course_enrollment_track",
        message: `course type ${row.course_enrollment_track} does not exist`,
      };
    }
    if (courseType.id !== before.courseTypeId) {
      if (!courseType.isAuditOnly && row.verified_price === undefined) {
        return {
          code: "MISSING_REQUIRED_DATA",
          column: "verified_price",
          message: `verified_price is required to change the course type to ${courseType.name}`,
        };
      }
      course.courseTypeId = courseType.id;
      target = { ...target, allowedRunTypeIds: courseType.allowedRunTypeIds };
      runsToRetype = row.course_run_key ? [] : target.runs;
    }
  }

  const runRow = runFields(row);
  const runPlans: CoursePlan["runs"] = [];
  const changes: Changes = diffCourse(before, course, reference);
  // Plans one run's changes against the course as this row leaves it; what changes joins the course's plan.
  const planRun = (current: CourseTarget["runs"][number], fields: RunUpdateFields): Failure | null => {
    const plan = planRunChanges({
      ...current,
      course,
      allowedRunTypeIds: target.allowedRunTypeIds,
      row: fields,
      reference,
      now,
    });
    if (!plan.ok) {
      return plan;
    }
    if (Object.keys(plan.changes).length > 0) {
      runPlans.push({ run: plan.run, seats: plan.seats });
      Object.assign(changes, prefixed(plan.changes, plan.run.key));
    }
    return null;
  };
  if (row.course_run_key) {
    const current = target.runs.find((r) => r.run.key.toLowerCase() === row.course_run_key!.toLowerCase());
    if (!current) {
      return {
        code: "COURSE_RUN_NOT_FOUND",
        column: "course_run_key",
        message: `course run ${row.course_run_key} is not a run of ${before.key}`,
      };
    }
    const retype =
      course.courseTypeId !== before.courseTypeId && !runRow.course_run_enrollment_track && !runRow.run_type;
    const failed = planRun(
      current,
      retype ? { ...runRow, run_type: reference.nameById.get(course.courseTypeId) } : runRow,
    );
    if (failed) {
      return failed;
    }
  } else if (
    mentionsRun(runRow) &&
    !(onlyTypeChangeFields(runRow) && runsToRetype.length > 0) &&
    !onlyLegalReview(runRow)
  ) {
    return {
      code: "MISSING_REQUIRED_DATA",
      column: "course_run_key",
      message: "the row has run columns but no course_run_key to say which run they change",
    };
  }

  // A new course type moves every run to the run type of the same name, with seats at the row's price;
  // `move_to_legal_review` without a run key applies to every unpublished run.
  const fanOut =
    runsToRetype.length > 0
      ? runsToRetype
      : row.course_run_key
        ? []
        : runRow.move_to_legal_review
          ? target.runs.filter((r) => r.run.status === "unpublished")
          : [];
  for (const current of fanOut) {
    const failed = planRun(current, {
      verified_price: runRow.verified_price,
      move_to_legal_review: runRow.move_to_legal_review,
      ...(runsToRetype.length > 0
        ? { run_type: runRow.course_run_enrollment_track ?? reference.nameById.get(course.courseTypeId) }
        : {}),
    });
    if (failed) {
      return failed;
    }
  }

  if (Object.keys(changes).length > 0) {
    course.updatedAt = now;
  }
  return { course, runs: runPlans, changes };
}

function resolveCourseValue(kind: CourseFieldKind, value: unknown, reference: ReferenceData): unknown {
  switch (kind) {
    case "rich":
      return sanitizeRichText(value as string);
    case "levelType":
      return reference.levelTypes.get((value as string).toLowerCase());
    case "subject":
      return reference.subjects.get((value as string).toLowerCase());
    default:
      return value;
  }
}

function runFields(row: CourseUpdateRow): RunUpdateFields {
  const fields: Record<string, unknown> = {};
  for (const column of Object.keys(runUpdateColumns)) {
    fields[column] = row[column as keyof CourseUpdateRow];
  }
  return fields as RunUpdateFields;
}

function onlyTypeChangeFields(row: RunUpdateFields) {
  return Object.entries(row).every(
    ([column, value]) =>
      value === undefined ||
      column === "verified_price" ||
      column === "course_run_enrollment_track" ||
      column === "move_to_legal_review",
  );
}

function onlyLegalReview(row: RunUpdateFields) {
  return Object.entries(row).every(([column, value]) => value === undefined || column === "move_to_legal_review");
}

function diffCourse(before: CourseInsert, after: CourseInsert, reference: ReferenceData): Changes {
  const changes: Changes = {};
  for (const [column, field] of [...COURSE_FIELDS, ["course_enrollment_track", "courseTypeId"] as const]) {
    const [b, a] = [readable(before[field], reference), readable(after[field], reference)];
    if (JSON.stringify(b) !== JSON.stringify(a)) {
      changes[column] = { before: b, after: a };
    }
  }
  return changes;
}

function prefixed(changes: Changes, runKey: string): Changes {
  return Object.fromEntries(Object.entries(changes).map(([field, change]) => [`${runKey}: ${field}`, change]));
}

/** Slugs the chunk's rows ask for that some course already has, by slug → course id. */
async function slugsInUse(tx: RawSql, rows: ParsedRow<CourseUpdateRow>[]) {
  const wanted = rows.map((r) => r.row.url_slug).filter((s): s is string => s !== undefined);
  if (wanted.length === 0) {
    return new Map<string, string>();
  }
  const owners = await tx.$queryRawUnsafe<{ id: string; urlSlug: string }[]>(
    `SELECT "id", "urlSlug" FROM "Course" WHERE "urlSlug" = ANY($1::text[])`,
    wanted,
  );
  return new Map(owners.map((o) => [o.urlSlug, o.id]));
}
