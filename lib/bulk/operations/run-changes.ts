import "server-only";

import { z } from "zod";

import { combineDateTime, textCell } from "@/lib/bulk/csv/cells";
import type { RowErrorCode } from "@/lib/bulk/vocabulary/error-codes";
import type { ReferenceData } from "@/lib/catalog/reference-data";
import { seatsForRun } from "@/lib/catalog/seats";
import type { CourseInsert, CourseRunInsert, SeatState } from "@/lib/catalog/tables";

import { pacingCell, runColumns } from "./course-fields";
import { missingForLegalReview } from "./legal-review";

const example = (value: string) => ({ example: value });

/** Run columns an update may carry; upstream files name pacing and run type either way. */
export const runUpdateColumns = {
  ...runColumns,
  course_pacing: pacingCell.optional().meta(example("")),
  pacing_type: pacingCell.optional().meta(example("")),
  course_run_enrollment_track: textCell({ max: 255 }).optional().meta(example("")),
  run_type: textCell({ max: 255 }).optional().meta(example("")),
};
export type RunUpdateFields = z.infer<z.ZodObject<typeof runUpdateColumns>>;

const RUN_UPDATE_COLUMNS = Object.keys(runUpdateColumns) as (keyof RunUpdateFields)[];

export type Changes = Record<string, { before: unknown; after: unknown }>;

const IN_REVIEW = new Set(["review_by_legal", "review_by_internal"]);

export function mentionsRun(row: RunUpdateFields) {
  return RUN_UPDATE_COLUMNS.some((column) => row[column] !== undefined);
}

export type RunPlan =
  | { ok: true; run: CourseRunInsert; seats: SeatState[] | null; changes: Changes }
  | { ok: false; code: RowErrorCode; column: string | null; message: string };

/**
 * Applies a row's run columns to a run's current state. Blank cells leave fields unchanged and
 * nothing the row does not mention is reset; a date given without its time keeps the run's time of day.
 */
export function planRunChanges(options: {
  run: CourseRunInsert;
  seats: SeatState[];
  course: CourseInsert;
  allowedRunTypeIds: Set<string>;
  row: RunUpdateFields;
  reference: ReferenceData;
  now: Date;
}): RunPlan {
  const { run, seats, course, allowedRunTypeIds, row, reference, now } = options;
  const fail = (code: RowErrorCode, column: string | null, message: string): RunPlan => ({
    ok: false,
    code,
    column,
    message,
  });
  if (IN_REVIEW.has(run.status)) {
    return fail(
      "RUN_IN_REVIEW",
      null,
      `course run ${run.key} is in review (${run.status}) and cannot be edited until the review ends`,
    );
  }

  const after: CourseRunInsert = { ...run };
  after.start = mergeInstant(run.start, row.start_date, row.start_time) ?? run.start;
  after.end = mergeInstant(run.end, row.end_date, row.end_time) ?? run.end;
  after.enrollmentStart =
    mergeInstant(run.enrollmentStart, row.enrollment_start_date, row.enrollment_start_time) ?? run.enrollmentStart;
  after.enrollmentEnd =
    mergeInstant(run.enrollmentEnd, row.enrollment_end_date, row.enrollment_end_time) ?? run.enrollmentEnd;
  after.upgradeDeadlineOverride =
    mergeInstant(run.upgradeDeadlineOverride, row.upgrade_deadline_override_date, row.upgrade_deadline_override_time) ??
    run.upgradeDeadlineOverride;
  after.goLiveDate = row.publish_date ? combineDateTime(row.publish_date, undefined)! : run.goLiveDate;
  after.pacing = row.course_pacing ?? row.pacing_type ?? run.pacing;
  after.minEffort = row.minimum_effort ?? run.minEffort;
  after.maxEffort = row.maximum_effort ?? run.maxEffort;
  after.weeksToComplete = row.length ?? run.weeksToComplete;
  after.expectedProgramName = row.expected_program_name ?? run.expectedProgramName;

  const runTypeName = row.course_run_enrollment_track ?? row.run_type;
  if (runTypeName !== undefined) {
    const runType = reference.runTypes.get(runTypeName.toLowerCase());
    const column = row.course_run_enrollment_track !== undefined ? "course_run_enrollment_track" : "run_type";
    if (!runType) {
      return fail("MISSING_COURSE_RUN_TYPE", column, `course run type ${runTypeName} does not exist`);
    }
    if (!allowedRunTypeIds.has(runType.id)) {
      return fail("MISSING_COURSE_RUN_TYPE", column, `run type ${runType.name} is not allowed for this course's type`);
    }
    after.runTypeId = runType.id;
  }
  if (row.content_language !== undefined) {
    const code = reference.languages.get(row.content_language.toLowerCase());
    if (!code) {
      return fail("INVALID_VALUE", "content_language", `${row.content_language} is not a known language`);
    }
    after.contentLanguage = code;
  }
  if (row.transcript_languages !== undefined) {
    const codes = row.transcript_languages.map((l) => reference.languages.get(l.toLowerCase()));
    const unknown = row.transcript_languages.find((_, i) => !codes[i]);
    if (unknown) {
      return fail("INVALID_VALUE", "transcript_languages", `${unknown} is not a known language`);
    }
    after.transcriptLanguages = codes as string[];
  }
  if (row.expected_program_type !== undefined) {
    const slug = reference.programTypes.get(row.expected_program_type.toLowerCase());
    if (!slug) {
      return fail("INVALID_VALUE", "expected_program_type", `${row.expected_program_type} is not a known program type`);
    }
    after.expectedProgramType = slug;
  }

  if (after.start && after.end && after.start >= after.end) {
    return fail(
      "INVALID_VALUE",
      row.end_date ? "end_date" : "start_date",
      `the run would end (${iso(after.end)}) before it starts (${iso(after.start)})`,
    );
  }
  if (after.minEffort !== null && after.maxEffort !== null && after.minEffort > after.maxEffort) {
    return fail(
      "INVALID_VALUE",
      "maximum_effort",
      `maximum effort ${after.maxEffort} is less than minimum effort ${after.minEffort}`,
    );
  }

  const newSeats = planSeats({ before: run, after, seats, price: row.verified_price, reference });
  if ("error" in newSeats) {
    return fail("MISSING_REQUIRED_DATA", "verified_price", newSeats.error);
  }

  if (row.move_to_legal_review) {
    const missing = missingForLegalReview((f) => (f.on === "course" ? course[f.field] : after[f.field])).map(
      (f) => f.column,
    );
    if (missing.length > 0) {
      return fail("MISSING_REQUIRED_DATA", missing[0], `moving to legal review needs ${missing.join(", ")}`);
    }
    if (run.status === "unpublished") {
      after.status = "review_by_legal";
    }
  }

  const changes = diffRun(run, after, reference);
  if (newSeats.seats) {
    const price = (list: SeatState[]) => list.find((s) => s.type !== "audit")?.price ?? null;
    if (price(seats) !== price(newSeats.seats)) {
      changes.verified_price = { before: price(seats), after: price(newSeats.seats) };
    }
    const types = (list: SeatState[]) =>
      list
        .map((s) => s.type)
        .sort()
        .join(", ");
    if (types(seats) !== types(newSeats.seats)) {
      changes.seats = { before: types(seats), after: types(newSeats.seats) };
    }
  }
  if (Object.keys(changes).length > 0) {
    after.updatedAt = now;
  }
  return { ok: true, run: after, seats: Object.keys(changes).length > 0 ? newSeats.seats : null, changes };
}

/** Seats follow the run type; paid seats take the row's price, else keep the one they had. */
function planSeats(options: {
  before: CourseRunInsert;
  after: CourseRunInsert;
  seats: SeatState[];
  price: string | undefined;
  reference: ReferenceData;
}): { seats: SeatState[] | null } | { error: string } {
  const { before, after, seats, price, reference } = options;
  const affectsSeats =
    price !== undefined ||
    before.runTypeId !== after.runTypeId ||
    before.end?.getTime() !== after.end?.getTime() ||
    before.upgradeDeadlineOverride?.getTime() !== after.upgradeDeadlineOverride?.getTime();
  if (!affectsSeats) {
    return { seats: null };
  }
  const seatTypes = reference.runTypesById.get(after.runTypeId)?.seatTypes ?? [];
  const paidPrice = price ?? seats.find((s) => s.type !== "audit")?.price ?? null;
  if (seatTypes.some((t) => t !== "audit") && paidPrice === null) {
    return {
      error: `verified_price is required: run type ${reference.nameById.get(after.runTypeId)} sells paid seats`,
    };
  }
  const planned = seatsForRun({
    runId: after.id,
    seatTypes,
    price: paidPrice,
    runEnd: after.end,
    upgradeDeadlineOverride: after.upgradeDeadlineOverride,
  }).map(({ id: _id, ...seat }) => seat);
  const same =
    planned.length === seats.length &&
    planned.every((p) =>
      seats.some(
        (s) =>
          s.type === p.type &&
          Number(s.price) === Number(p.price) &&
          s.upgradeDeadline?.getTime() === p.upgradeDeadline?.getTime(),
      ),
    );
  return { seats: same ? null : planned };
}

/** A date and/or time cell merged into an existing instant; undefined when the row gives neither. */
function mergeInstant(current: Date | null, date: string | undefined, time: string | undefined): Date | undefined {
  if (date === undefined && time === undefined) {
    return undefined;
  }
  const day = date ?? (current ? current.toISOString().slice(0, 10) : undefined);
  if (day === undefined) {
    return undefined;
  }
  const clock = time ?? (current && date !== undefined ? current.toISOString().slice(11, 19) : undefined);
  return combineDateTime(day, clock);
}

const RUN_DIFF: [string, keyof CourseRunInsert][] = [
  ["start", "start"],
  ["end", "end"],
  ["enrollment_start", "enrollmentStart"],
  ["enrollment_end", "enrollmentEnd"],
  ["publish_date", "goLiveDate"],
  ["upgrade_deadline_override", "upgradeDeadlineOverride"],
  ["pacing_type", "pacing"],
  ["run_type", "runTypeId"],
  ["minimum_effort", "minEffort"],
  ["maximum_effort", "maxEffort"],
  ["length", "weeksToComplete"],
  ["content_language", "contentLanguage"],
  ["transcript_languages", "transcriptLanguages"],
  ["expected_program_type", "expectedProgramType"],
  ["expected_program_name", "expectedProgramName"],
  ["status", "status"],
];

function diffRun(before: CourseRunInsert, after: CourseRunInsert, reference: ReferenceData): Changes {
  const changes: Changes = {};
  for (const [column, field] of RUN_DIFF) {
    const [b, a] = [readable(before[field], reference), readable(after[field], reference)];
    if (JSON.stringify(b) !== JSON.stringify(a)) {
      changes[column] = { before: b, after: a };
    }
  }
  return changes;
}

/** Values as a person reads them: ISO dates, names instead of ids. */
export function readable(value: unknown, reference: ReferenceData): unknown {
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === "string") {
    return reference.nameById.get(value) ?? value;
  }
  return value ?? null;
}

function iso(date: Date) {
  return date.toISOString().slice(0, 16).replace("T", " ");
}
