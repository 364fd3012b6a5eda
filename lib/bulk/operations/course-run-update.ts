import "server-only";

import { z } from "zod";

import { textCell } from "@/lib/bulk/csv/cells";
import { loadRunsForUpdate } from "@/lib/catalog/load-for-update";
import { loadReferenceData } from "@/lib/catalog/reference-data";
import { type CourseRunInsert, type SeatInsert, courseRunTable, replaceSeats } from "@/lib/catalog/tables";
import { orderedId } from "@/lib/ids";
import { updateRows } from "@/lib/sql/set-writes";

import type { ApplyContext, OperationDefinition, ParsedRow } from "./definition";
import { expectedModifiedCell, staleTarget } from "./expected-modified";
import { mayChangeCourse, notFoundMessage } from "./permissions";
import { type BulkRowResult, failure } from "./row-result";
import { planRunChanges, runUpdateColumns } from "./run-changes";

/** One row of a "Course Run Updates" CSV: the run's key and the run columns to change. */
export const courseRunUpdateRowSchema = z.object({
  course_run_key: textCell({ max: 255 }).meta({ example: "course-v1:edX+DemoX+1T2026" }),
  expected_modified: expectedModifiedCell,
  ...runUpdateColumns,
});

type CourseRunUpdateRow = z.infer<typeof courseRunUpdateRowSchema>;

export const courseRunUpdate: OperationDefinition<typeof courseRunUpdateRowSchema> = {
  type: "course_run_update",
  rowSchema: courseRunUpdateRowSchema,
  rejectedRowCode: "COURSE_RUN_UPDATE_ERROR",
  targetKey: (row) => row.course_run_key.toLowerCase(),
  targetColumns: { course_run_key: "run" },
  apply: applyCourseRunUpdate,
};

async function applyCourseRunUpdate(
  context: ApplyContext,
  rows: ParsedRow<CourseRunUpdateRow>[],
): Promise<BulkRowResult[]> {
  const { tx, uploader, now } = context;
  const reference = await loadReferenceData(tx);
  const runs = await loadRunsForUpdate(
    tx,
    rows.map((r) => r.row.course_run_key),
  );
  const results: BulkRowResult[] = [];
  const changedRuns = new Map<string, CourseRunInsert>();
  const reseated = new Map<string, SeatInsert[]>();

  for (const { rowNumber, row } of rows) {
    const found = runs.get(row.course_run_key.toLowerCase());
    if (!found || !mayChangeCourse(uploader, found.target.organizationIds)) {
      results.push(
        failure(
          rowNumber,
          "COURSE_RUN_NOT_FOUND",
          "course_run_key",
          notFoundMessage(uploader, `course run ${row.course_run_key}`),
        ),
      );
      continue;
    }
    const { target, index } = found;
    const current = target.runs[index];
    const stale = staleTarget(rowNumber, current.run, row.expected_modified);
    if (stale) {
      results.push(stale);
      continue;
    }
    const plan = planRunChanges({
      run: current.run,
      seats: current.seats,
      course: target.course,
      allowedRunTypeIds: target.allowedRunTypeIds,
      row,
      reference,
      now,
    });
    if (!plan.ok) {
      results.push(failure(rowNumber, plan.code, plan.column, plan.message));
      continue;
    }
    const changed = Object.keys(plan.changes).length > 0;
    if (changed) {
      target.runs[index] = { run: plan.run, seats: plan.seats ?? current.seats };
      changedRuns.set(plan.run.id, plan.run);
      if (plan.seats) {
        reseated.set(
          plan.run.id,
          plan.seats.map((s) => ({ ...s, id: orderedId() })),
        );
      }
    }
    results.push({
      rowNumber,
      status: changed ? "updated" : "unchanged",
      targetKey: plan.run.key,
      errorCode: null,
      errorColumn: null,
      errorMessage: null,
      courseId: target.course.id,
      courseRunId: plan.run.id,
      changes: changed ? plan.changes : null,
    });
  }

  await updateRows(tx, courseRunTable, [...changedRuns.values()]);
  await replaceSeats(tx, [...reseated.keys()], [...reseated.values()].flat());
  return results;
}
