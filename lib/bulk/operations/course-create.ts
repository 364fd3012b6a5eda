import "server-only";

import { z } from "zod";

import { isStaffOrMember } from "@/lib/auth/staff-or-member";
import { dateCell, textCell } from "@/lib/bulk/csv/cells";
import type { RowErrorCode } from "@/lib/bulk/vocabulary/error-codes";
import { type ReferenceData, loadOrganizations, loadReferenceData } from "@/lib/catalog/reference-data";
import { runKey, termOf } from "@/lib/catalog/run-key";
import { sanitizeRichText } from "@/lib/catalog/sanitize-rich-text";
import { seatsForRun } from "@/lib/catalog/seats";
import { slugify } from "@/lib/catalog/slugify";
import {
  type CourseEditorInsert,
  type CourseInsert,
  type CourseOrganizationInsert,
  type CourseRunInsert,
  type SeatInsert,
  courseEditorTable,
  courseOrganizationTable,
  courseRunTable,
  courseTable,
  seatTable,
} from "@/lib/catalog/tables";
import { orderedId } from "@/lib/ids";
import { type RawSql, insertNewRows, insertRows } from "@/lib/sql/set-writes";

import { checkRunConsistency, courseColumns, keyPart, pacingCell, runColumns, runInstants } from "./course-fields";
import type { ApplyContext, OperationDefinition, ParsedRow } from "./definition";
import { missingForLegalReview } from "./legal-review";
import { type BulkRowResult, failure } from "./row-result";

const example = (value: string) => ({ example: value });
const { title, ...otherCourseColumns } = courseColumns;

/** One row of a "Course Creation" CSV: creates a course, its first run and the run's seats. */
export const courseCreateRowSchema = z
  .object({
    organization: keyPart("organization key").meta(example("edX")),
    title,
    number: keyPart("course number").meta(example("DS101")),
    course_enrollment_track: textCell({ max: 255 }).meta(example("Verified and Audit")),
    course_run_enrollment_track: textCell({ max: 255 }).meta(example("Verified and Audit")),
    course_pacing: pacingCell.meta(example("instructor_paced")),
    ...runColumns,
    start_date: dateCell.meta(example("2026-09-01")),
    end_date: dateCell.meta(example("2026-12-15")),
    ...otherCourseColumns,
  })
  .superRefine(checkRunConsistency);

export type CourseCreateRow = z.infer<typeof courseCreateRowSchema>;

export const courseCreate: OperationDefinition<typeof courseCreateRowSchema> = {
  type: "course_create",
  rowSchema: courseCreateRowSchema,
  rejectedRowCode: "COURSE_CREATE_ERROR",
  transaction: "sql",
  targetKey: (row) => `${row.organization}+${row.number}`.toLowerCase(),
  targetColumns: { organization: "organization" },
  displayKey: (cells) =>
    cells.organization && cells.number ? `${cells.organization.trim()}+${cells.number.trim()}` : null,
  apply: applyCourseCreate,
};

interface PlannedCourse {
  rowNumber: number;
  row: CourseCreateRow;
  course: CourseInsert;
  organizationId: string;
  run: CourseRunInsert;
  seats: SeatInsert[];
}

async function applyCourseCreate(
  context: ApplyContext<RawSql>,
  rows: ParsedRow<CourseCreateRow>[],
): Promise<BulkRowResult[]> {
  const { tx, uploader, now } = context;
  const reference = await loadReferenceData(tx);
  const organizations = await loadOrganizations(
    tx,
    rows.map((r) => r.row.organization),
  );
  const results: BulkRowResult[] = [];
  const planned: PlannedCourse[] = [];

  for (const { rowNumber, row } of rows) {
    const organization = organizations.get(row.organization.toLowerCase());
    if (!organization) {
      results.push(
        failure(rowNumber, "MISSING_ORGANIZATION", "organization", `organization ${row.organization} does not exist`),
      );
      continue;
    }
    if (!isStaffOrMember(uploader, [organization.id])) {
      results.push(
        failure(
          rowNumber,
          "PERMISSION_DENIED",
          "organization",
          `you are not a member of organization ${organization.key}`,
        ),
      );
      continue;
    }
    const plan = planCourse(rowNumber, row, organization, reference, now);
    if ("error" in plan) {
      results.push(plan.error);
    } else {
      planned.push(plan);
    }
  }

  const created = await insertCourses(tx, planned, results);

  // Everything below hangs off a course this transaction has just created: nothing can collide.
  await insertNewRows<CourseOrganizationInsert>(
    tx,
    courseOrganizationTable,
    created.map((p) => ({ courseId: p.course.id, organizationId: p.organizationId })),
  );
  await insertNewRows(
    tx,
    courseRunTable,
    created.map((p) => p.run),
  );
  await insertNewRows(
    tx,
    seatTable,
    created.flatMap((p) => p.seats),
  );
  await insertNewRows<CourseEditorInsert>(
    tx,
    courseEditorTable,
    created.map((p) => ({ id: orderedId(), userId: uploader.id, courseId: p.course.id, createdAt: now })),
  );

  for (const p of created) {
    results.push({
      rowNumber: p.rowNumber,
      status: "created",
      targetKey: p.course.key,
      errorCode: null,
      errorColumn: null,
      errorMessage: null,
      courseId: p.course.id,
      courseRunId: p.run.id,
      changes: null,
    });
  }
  return results;
}

function planCourse(
  rowNumber: number,
  row: CourseCreateRow,
  organization: { id: string; key: string },
  reference: ReferenceData,
  now: Date,
): PlannedCourse | { error: BulkRowResult } {
  const fail = (code: RowErrorCode, column: string | null, message: string) => ({
    error: failure(rowNumber, code, column, message),
  });

  const courseType = reference.courseTypes.get(row.course_enrollment_track.toLowerCase());
  if (!courseType) {
    return fail(
      "MISSING_COURSE_TYPE",
      "course_enrollment_track",
      `course type ${row.course_enrollment_track} does not exist`,
    );
  }
  const runType = reference.runTypes.get(row.course_run_enrollment_track.toLowerCase());
  if (!runType) {
    return fail(
      "MISSING_COURSE_RUN_TYPE",
      "course_run_enrollment_track",
      `course run type ${row.course_run_enrollment_track} does not exist`,
    );
  }
  if (!courseType.allowedRunTypeIds.has(runType.id)) {
    return fail(
      "MISSING_COURSE_RUN_TYPE",
      "course_run_enrollment_track",
      `run type ${runType.name} is not allowed for course type ${courseType.name}`,
    );
  }
  if (!courseType.isAuditOnly && row.verified_price === undefined) {
    return fail(
      "MISSING_REQUIRED_DATA",
      "verified_price",
      `verified_price is required for course type ${courseType.name}`,
    );
  }
  const rich = (html: string | undefined) => (html === undefined ? null : sanitizeRichText(html));
  const richColumns = {
    short_description: rich(row.short_description),
    long_description: rich(row.long_description),
    what_will_you_learn: rich(row.what_will_you_learn),
  };
  if (row.move_to_legal_review) {
    // Rich text counts once sanitized: a description that was only a script is missing.
    const missing = missingForLegalReview(({ column }) =>
      column in richColumns ? richColumns[column as keyof typeof richColumns] : row[column],
    ).map((f) => f.column);
    if (missing.length > 0) {
      return fail("MISSING_REQUIRED_DATA", missing[0], `moving to legal review needs ${missing.join(", ")}`);
    }
  }

  const lookups = {
    level_type: row.level_type && reference.levelTypes.get(row.level_type.toLowerCase()),
    primary_subject: row.primary_subject && reference.subjects.get(row.primary_subject.toLowerCase()),
    secondary_subject: row.secondary_subject && reference.subjects.get(row.secondary_subject.toLowerCase()),
    tertiary_subject: row.tertiary_subject && reference.subjects.get(row.tertiary_subject.toLowerCase()),
    content_language: row.content_language && reference.languages.get(row.content_language.toLowerCase()),
    expected_program_type:
      row.expected_program_type && reference.programTypes.get(row.expected_program_type.toLowerCase()),
  };
  for (const [column, found] of Object.entries(lookups)) {
    const given = row[column as keyof typeof lookups];
    if (given && !found) {
      return fail("INVALID_VALUE", column, `${given} is not a known ${column.replace(/_/g, " ")}`);
    }
  }
  const transcriptLanguages: string[] = [];
  for (const language of row.transcript_languages ?? []) {
    const code = reference.languages.get(language.toLowerCase());
    if (!code) {
      return fail("INVALID_VALUE", "transcript_languages", `${language} is not a known language`);
    }
    transcriptLanguages.push(code);
  }

  const at = runInstants(row);
  const key = `${organization.key}+${row.number}`;
  const courseId = orderedId();
  const runId = orderedId();
  return {
    rowNumber,
    row,
    organizationId: organization.id,
    course: {
      id: courseId,
      key,
      title: row.title,
      urlSlug: row.url_slug ?? "",
      shortDescription: richColumns.short_description,
      fullDescription: richColumns.long_description,
      outcome: richColumns.what_will_you_learn,
      syllabus: rich(row.syllabus),
      prerequisites: rich(row.prerequisites),
      faq: rich(row.frequently_asked_questions),
      learnerTestimonials: rich(row.learner_testimonials),
      additionalInformation: rich(row.additional_information),
      imageUrl: row.image ?? null,
      videoUrl: row.about_video_link ?? null,
      levelTypeId: lookups.level_type || null,
      primarySubjectId: lookups.primary_subject || null,
      secondarySubjectId: lookups.secondary_subject || null,
      tertiarySubjectId: lookups.tertiary_subject || null,
      collaborators: row.collaborators ?? [],
      topics: row.topics ?? [],
      watchers: row.watchers ?? [],
      courseTypeId: courseType.id,
      enterpriseSubscriptionInclusion: row.enterprise_subscription_inclusion ?? null,
      createdAt: now,
      updatedAt: now,
    },
    run: {
      id: runId,
      key: runKey(key, termOf(at.start!)),
      courseId,
      status: row.move_to_legal_review ? "review_by_legal" : "unpublished",
      start: at.start ?? null,
      end: at.end ?? null,
      enrollmentStart: at.enrollmentStart ?? null,
      enrollmentEnd: at.enrollmentEnd ?? null,
      goLiveDate: at.goLiveDate ?? null,
      pacing: row.course_pacing,
      runTypeId: runType.id,
      minEffort: row.minimum_effort ?? null,
      maxEffort: row.maximum_effort ?? null,
      weeksToComplete: row.length ?? null,
      contentLanguage: lookups.content_language || null,
      transcriptLanguages,
      staff: [],
      expectedProgramType: lookups.expected_program_type || null,
      expectedProgramName: row.expected_program_name ?? null,
      upgradeDeadlineOverride: at.upgradeDeadlineOverride ?? null,
      createdAt: now,
      updatedAt: now,
    },
    seats: seatsForRun({
      runId,
      seatTypes: runType.seatTypes,
      price: row.verified_price ?? null,
      runEnd: at.end ?? null,
      upgradeDeadlineOverride: at.upgradeDeadlineOverride ?? null,
    }),
  };
}

/** Checks and inserts a course at most this many times when concurrent uploads take its key or slug. */
const INSERT_ATTEMPTS = 3;

/**
 * Inserts the planned courses and returns those created. A course the insert skips had its key or slug
 * committed by a concurrent transaction (another upload) after our check: it is checked again, so a taken
 * slug gives way to the next candidate and a taken key is reported as such.
 */
async function insertCourses(tx: RawSql, planned: PlannedCourse[], results: BulkRowResult[]) {
  const created: PlannedCourse[] = [];
  let pending = planned;
  for (let attempt = 1; pending.length > 0; attempt++) {
    // In slug order: transactions that want the same slugs then wait for each other in one direction only.
    const accepted = (await assignSlugsAndSkipExisting(tx, pending, results)).sort((a, b) =>
      a.course.urlSlug < b.course.urlSlug ? -1 : a.course.urlSlug > b.course.urlSlug ? 1 : 0,
    );
    const courses = accepted.map((p) => p.course);
    const insertedIds = new Set(await insertRows(tx, courseTable, courses, { returning: "id" }));
    created.push(...accepted.filter((p) => insertedIds.has(p.course.id)));
    pending = accepted.filter((p) => !insertedIds.has(p.course.id));
    if (attempt === INSERT_ATTEMPTS) {
      for (const p of pending) {
        results.push(failure(p.rowNumber, "COURSE_CREATE_ERROR", "number", `course ${p.course.key} already exists`));
      }
      break;
    }
  }
  return created;
}

/**
 * Drops rows whose course already exists (reported as COURSE_CREATE_ERROR) and gives the others a
 * free URL slug: the row's own, else one from the title, else title plus course number.
 */
async function assignSlugsAndSkipExisting(tx: RawSql, planned: PlannedCourse[], results: BulkRowResult[]) {
  if (planned.length === 0) {
    return [];
  }
  const candidates = planned.map((p) =>
    p.row.url_slug
      ? [p.row.url_slug]
      : [slugify(p.row.title) || "course", slugify(`${p.row.title}-${p.row.number}`) || slugify(p.course.key)],
  );
  const existing = await tx.$queryRawUnsafe<{ key: string | null; slug: string | null }[]>(
    `SELECT "key", NULL AS slug FROM "Course" WHERE "key" = ANY($1::text[]) ` +
      `UNION ALL SELECT NULL, "urlSlug" FROM "Course" WHERE "urlSlug" = ANY($2::text[])`,
    planned.map((p) => p.course.key),
    candidates.flat(),
  );
  const existingKeys = new Set(existing.filter((e) => e.key).map((e) => e.key!.toLowerCase()));
  const takenSlugs = new Set(existing.filter((e) => e.slug).map((e) => e.slug!));

  const accepted: PlannedCourse[] = [];
  for (const [i, p] of planned.entries()) {
    if (existingKeys.has(p.course.key.toLowerCase())) {
      results.push(failure(p.rowNumber, "COURSE_CREATE_ERROR", "number", `course ${p.course.key} already exists`));
      continue;
    }
    let slug = candidates[i].find((c) => !takenSlugs.has(c));
    if (!slug && p.row.url_slug) {
      results.push(
        failure(
          p.rowNumber,
          "COURSE_CREATE_ERROR",
          "url_slug",
          `url_slug ${p.row.url_slug} is already used by another course`,
        ),
      );
      continue;
    }
    // The id's random end (its start is a timestamp, shared by the whole chunk).
    slug ??= `${candidates[i][1]}-${p.course.id.slice(-8)}`;
    takenSlugs.add(slug);
    p.course.urlSlug = slug;
    accepted.push(p);
  }
  return accepted;
}
