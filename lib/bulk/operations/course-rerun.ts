import "server-only";

import { z } from "zod";

import { dateCell, textCell } from "@/lib/bulk/csv/cells";
import type { RowErrorCode } from "@/lib/bulk/vocabulary/error-codes";
import { loadReferenceData } from "@/lib/catalog/reference-data";
import { freeRunKey } from "@/lib/catalog/run-key";
import { seatsForRun } from "@/lib/catalog/seats";
import { type CourseRunInsert, type SeatInsert, courseRunTable, seatTable } from "@/lib/catalog/tables";
import { orderedId } from "@/lib/ids";
import { type Tx, insertRows } from "@/lib/sql/set-writes";

import { checkRunConsistency, pacingCell, runColumns, runInstants } from "./course-fields";
import type { ApplyContext, OperationDefinition, ParsedRow } from "./definition";
import { missingForLegalReview } from "./legal-review";
import { mayChangeCourse, notFoundMessage } from "./permissions";
import { type BulkRowResult, failure } from "./row-result";

const example = (value: string) => ({ example: value });

/** One row of a "Course Re-run" CSV: a new run of an existing course, modelled on one of its runs. */
export const courseRerunRowSchema = z
  .object({
    last_active_run_key: textCell({ max: 255 }).meta(example("course-v1:edX+DS101+1T2026")),
    // Required here, unlike in runColumns (where an update may leave them blank).
    start_date: dateCell.meta(example("2026-09-01")),
    start_time: runColumns.start_time,
    end_date: dateCell.meta(example("2026-12-15")),
    end_time: runColumns.end_time,
    run_type: textCell({ max: 255 }).meta(example("Verified and Audit")),
    pacing_type: pacingCell.meta(example("instructor_paced")),
    publish_date: runColumns.publish_date,
    length: runColumns.length,
    minimum_effort: runColumns.minimum_effort,
    maximum_effort: runColumns.maximum_effort,
    move_to_legal_review: runColumns.move_to_legal_review,
  })
  .superRefine(checkRunConsistency);

type CourseRerunRow = z.infer<typeof courseRerunRowSchema>;

export const courseRerun: OperationDefinition<typeof courseRerunRowSchema> = {
  type: "course_rerun",
  rowSchema: courseRerunRowSchema,
  rejectedRowCode: "COURSE_RUN_CREATE_ERROR",
  // Several re-runs of one run in a file are legitimate: each gets the next free key.
  targetKey: () => null,
  targetColumns: { last_active_run_key: "run" },
  apply: applyCourseRerun,
};

type SourceRun = Awaited<ReturnType<typeof loadSourceRuns>>[number];

interface PlannedRun {
  rowNumber: number;
  run: CourseRunInsert;
  seats: SeatInsert[];
}

async function applyCourseRerun(context: ApplyContext, rows: ParsedRow<CourseRerunRow>[]): Promise<BulkRowResult[]> {
  const { tx, uploader, now } = context;
  const reference = await loadReferenceData(tx);
  const sourceRuns = await loadSourceRuns(
    tx,
    rows.map((r) => r.row.last_active_run_key),
  );
  const sources = new Map(sourceRuns.map((s) => [s.key, s]));
  // Keys of the chunk's earlier rows count as taken too, so two re-runs in one term get 1T2025 and 1T2025a.
  const takenKeys = await existingRunKeys(tx, [...new Set(sourceRuns.map((s) => s.courseId))]);
  const results: BulkRowResult[] = [];
  const planned: PlannedRun[] = [];

  for (const { rowNumber, row } of rows) {
    const fail = (code: RowErrorCode, column: string | null, message: string) =>
      results.push(failure(rowNumber, code, column, message));
    const source = sources.get(row.last_active_run_key);
    const organizationIds = source?.course.organizations.map((o) => o.organizationId) ?? [];
    if (!source || !mayChangeCourse(uploader, organizationIds)) {
      fail(
        "COURSE_RUN_NOT_FOUND",
        "last_active_run_key",
        notFoundMessage(uploader, `course run ${row.last_active_run_key}`),
      );
      continue;
    }
    const { course } = source;
    const runType = reference.runTypes.get(row.run_type.toLowerCase());
    if (!runType) {
      fail("MISSING_COURSE_RUN_TYPE", "run_type", `course run type ${row.run_type} does not exist`);
      continue;
    }
    if (!course.courseType.allowedRunTypes.some((t) => t.id === runType.id)) {
      fail(
        "MISSING_COURSE_RUN_TYPE",
        "run_type",
        `run type ${runType.name} is not allowed for course type ${course.courseType.name}`,
      );
      continue;
    }

    const minEffort = row.minimum_effort ?? source.minEffort;
    const maxEffort = row.maximum_effort ?? source.maxEffort;
    if (minEffort !== null && maxEffort !== null && minEffort > maxEffort) {
      // One side came from the source run; name the column the row can change.
      const column = row.minimum_effort !== undefined ? "minimum_effort" : "maximum_effort";
      fail(
        "INVALID_VALUE",
        column,
        `minimum effort ${minEffort} would exceed maximum effort ${maxEffort} (the other one is copied from ${source.key})`,
      );
      continue;
    }
    const weeksToComplete = row.length ?? source.weeksToComplete;
    const at = runInstants(row);

    if (row.move_to_legal_review) {
      // Effort and length count whether the row gives them or they are copied from the source run.
      const newRun = { goLiveDate: at.goLiveDate, minEffort, maxEffort, weeksToComplete };
      const absent = missingForLegalReview((f) => (f.on === "course" ? source.course[f.field] : newRun[f.field]));
      const missing = {
        course: absent.filter((f) => f.on === "course").map((f) => f.column),
        run: absent.filter((f) => f.on === "run").map((f) => f.column),
      };
      if (missing.course.length + missing.run.length > 0) {
        const needs = [
          missing.course.length ? `course ${course.key} to have ${missing.course.join(", ")}` : "",
          missing.run.length ? `this row to give ${missing.run.join(", ")}` : "",
        ];
        // Run fields can be fixed in this file, so point at the first of them.
        fail(
          "MISSING_REQUIRED_DATA",
          missing.run[0] ?? "move_to_legal_review",
          `moving to legal review needs ${needs.filter(Boolean).join(" and ")}`,
        );
        continue;
      }
    }

    const key = freeRunKey(course.key, at.start!, takenKeys);
    takenKeys.add(key);
    const runId = orderedId();
    planned.push({
      rowNumber,
      run: {
        id: runId,
        key,
        courseId: course.id,
        status: row.move_to_legal_review ? "review_by_legal" : "unpublished",
        start: at.start ?? null,
        end: at.end ?? null,
        enrollmentStart: null,
        enrollmentEnd: null,
        goLiveDate: at.goLiveDate ?? null,
        pacing: row.pacing_type,
        runTypeId: runType.id,
        minEffort,
        maxEffort,
        weeksToComplete,
        contentLanguage: source.contentLanguage,
        transcriptLanguages: source.transcriptLanguages,
        staff: source.staff,
        expectedProgramType: source.expectedProgramType,
        expectedProgramName: source.expectedProgramName,
        upgradeDeadlineOverride: null,
        createdAt: now,
        updatedAt: now,
      },
      seats: seatsForRun({
        runId,
        seatTypes: runType.seatTypes,
        price: null,
        runEnd: at.end ?? null,
        upgradeDeadlineOverride: null,
      }).map((seat) => ({ ...seat, price: seat.type === "audit" ? "0" : copiedPrice(source, seat.type) })),
    });
  }

  const runs = planned.map((p) => p.run);
  const insertedIds = new Set(await insertRows(tx, courseRunTable, runs, { returning: "id" }));
  const created = planned.filter((p) => {
    if (!insertedIds.has(p.run.id)) {
      // Another operation took this key between our read and the insert.
      const message = `course run ${p.run.key} was just created by another upload; upload this row again`;
      results.push(failure(p.rowNumber, "COURSE_RUN_CREATE_ERROR", "start_date", message));
    }
    return insertedIds.has(p.run.id);
  });
  await insertRows(
    tx,
    seatTable,
    created.flatMap((p) => p.seats),
  );

  for (const p of created) {
    results.push({
      rowNumber: p.rowNumber,
      status: "created",
      targetKey: p.run.key,
      errorCode: null,
      errorColumn: null,
      errorMessage: null,
      courseId: p.run.courseId,
      courseRunId: p.run.id,
      changes: null,
    });
  }
  return results;
}

/** The chunk's source runs with what a re-run copies and checks, in one read. */
function loadSourceRuns(tx: Tx, keys: string[]) {
  return tx.courseRun.findMany({
    where: { key: { in: [...new Set(keys)] } },
    select: {
      key: true,
      courseId: true,
      minEffort: true,
      maxEffort: true,
      weeksToComplete: true,
      contentLanguage: true,
      transcriptLanguages: true,
      staff: true,
      expectedProgramType: true,
      expectedProgramName: true,
      seats: { select: { type: true, price: true } },
      course: {
        select: {
          id: true,
          key: true,
          imageUrl: true,
          fullDescription: true,
          shortDescription: true,
          outcome: true,
          levelTypeId: true,
          primarySubjectId: true,
          organizations: { select: { organizationId: true } },
          courseType: { select: { name: true, allowedRunTypes: { select: { id: true } } } },
        },
      },
    },
  });
}

async function existingRunKeys(tx: Tx, courseIds: string[]) {
  if (courseIds.length === 0) {
    return new Set<string>();
  }
  const runs = await tx.courseRun.findMany({ where: { courseId: { in: courseIds } }, select: { key: true } });
  return new Set(runs.map((r) => r.key));
}

/** A paid seat costs what the same seat cost on the source run, else the source's verified (or other paid) price. */
function copiedPrice(source: SourceRun, type: string): string {
  const paid = source.seats.filter((s) => s.type !== "audit");
  const match = paid.find((s) => s.type === type) ?? paid.find((s) => s.type === "verified") ?? paid[0];
  return match ? match.price.toFixed(2) : "0";
}
