import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";

import type { ActingUser } from "@/lib/auth/require-user";
import { startOperation } from "@/lib/bulk/actions/start-operation";
import { buildErrorCsv } from "@/lib/bulk/results/build-error-csv";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { BulkOperation, BulkOperationRow } from "@/lib/generated/prisma/client";

import {
  BAD_INPUT_CORPUS,
  BAD_INPUT_FIXTURE_COURSES,
  type BadInputCase,
  type StoredCourse,
  type StoredText,
} from "../fixtures/bad/manifest";
import { createTestCourse, createTestUser } from "../fixtures/factories";
import { actingUser, runInProcess } from "../fixtures/operations";

// Every file of the bad-input corpus goes through the real upload and job against PostgreSQL. Each
// file runs once, as a fresh staff user, and two kinds of checks read the result: the safety net that
// holds for every file (no server error, nothing written for an invalid row) and the entry's expected
// outcome, skipped for entries with a known issue.

const corpusDir = join(__dirname, "../fixtures/bad");
const FINAL_STATUSES = ["completed", "partially_completed", "failed"];

interface CatalogSnapshot {
  counts: Record<"courses" | "runs" | "seats" | "editors" | "courseOrganizations", number>;
  /** The courses the update, re-run and editor files point at, with everything hanging off them. */
  fixtures: string;
  lastCourseUpdate: Date | null;
  lastRunUpdate: Date | null;
}

interface CaseRun {
  user: ActingUser;
  /** An AppError from startOperation (upload-level rejection). */
  rejected?: AppError;
  /** Anything else thrown: always a bug. */
  crashed?: unknown;
  operation?: BulkOperation;
  rows: BulkOperationRow[];
  before: CatalogSnapshot;
  after: CatalogSnapshot;
  operationsOfUser: number;
  /** Courses the user became editor of, which course_create does for every course it creates. */
  createdCourses: { id: string; key: string; title: string; runs: number }[];
  errorCsv?: string;
}

async function snapshot(): Promise<CatalogSnapshot> {
  const [courses, runs, seats, editors, courseOrganizations] = await Promise.all([
    db.course.count(),
    db.courseRun.count(),
    db.seat.count(),
    db.courseEditor.count(),
    db.courseOrganization.count(),
  ]);
  const fixtures = await db.course.findMany({
    where: { key: { in: BAD_INPUT_FIXTURE_COURSES.map((n) => `edX+${n}`) } },
    include: { runs: { include: { seats: { orderBy: { type: "asc" } } }, orderBy: { key: "asc" } }, editors: true },
    orderBy: { key: "asc" },
  });
  const [lastCourse, lastRun] = await Promise.all([
    db.course.aggregate({ _max: { updatedAt: true } }),
    db.courseRun.aggregate({ _max: { updatedAt: true } }),
  ]);
  return {
    counts: { courses, runs, seats, editors, courseOrganizations },
    fixtures: JSON.stringify(fixtures),
    lastCourseUpdate: lastCourse._max.updatedAt,
    lastRunUpdate: lastRun._max.updatedAt,
  };
}

async function uploadFile(user: ActingUser, type: BadInputCase["type"], name: string, bytes: Uint8Array) {
  return startOperation({ user, input: { type, mode: "apply" }, file: { name, bytes } });
}

async function runCase(entry: BadInputCase): Promise<CaseRun> {
  const user = await actingUser((await createTestUser({ isStaff: true })).id);
  const bytes = new Uint8Array(readFileSync(join(corpusDir, entry.file)));
  const before = await snapshot();
  const run: Omit<CaseRun, "after" | "operationsOfUser" | "createdCourses"> = { user, rows: [], before };
  try {
    const { id } = await uploadFile(user, entry.type, entry.file, bytes);
    await runInProcess(id);
    run.operation = await db.bulkOperation.findUniqueOrThrow({ where: { id } });
    run.rows = await db.bulkOperationRow.findMany({ where: { operationId: id }, orderBy: { rowNumber: "asc" } });
    const errors = await buildErrorCsv({ user, id });
    run.errorCsv = errors ? await new Response(errors.stream).text() : undefined;
  } catch (error) {
    if (error instanceof AppError) {
      run.rejected = error;
    } else {
      run.crashed = error;
    }
  }
  const created = await db.course.findMany({
    where: { editors: { some: { userId: user.id } } },
    select: { id: true, key: true, title: true, _count: { select: { runs: true } } },
  });
  return {
    ...run,
    after: await snapshot(),
    operationsOfUser: await db.bulkOperation.count({ where: { uploaderId: user.id } }),
    createdCourses: created.map((c) => ({ id: c.id, key: c.key, title: c.title, runs: c._count.runs })),
  };
}

/** The run's whole effect on the catalog was nothing. */
function expectCatalogUnchanged(run: CaseRun) {
  expect(run.after.counts).toEqual(run.before.counts);
  expect(run.after.fixtures).toBe(run.before.fixtures);
  expect(run.after.lastCourseUpdate).toEqual(run.before.lastCourseUpdate);
  expect(run.after.lastRunUpdate).toEqual(run.before.lastRunUpdate);
  expect(run.createdCourses).toEqual([]);
}

async function expectSafe(entry: BadInputCase, run: CaseRun) {
  expect(run.crashed, "a non-AppError escaped: it would be a 500").toBeUndefined();
  if (run.rejected) {
    expect(run.rejected.status).toBeLessThan(500);
    expect(run.operationsOfUser, "a rejected upload stores no operation").toBe(0);
    expectCatalogUnchanged(run);
    return;
  }
  const operation = run.operation!;
  expect(FINAL_STATUSES, `status ${operation.status}: ${operation.errorMessage}`).toContain(operation.status);

  if (run.rows.length === 0) {
    // The whole file was refused: it explains why, and not one course exists because of it.
    expect(operation.status).toBe("failed");
    expect(operation.errorMessage).toBeTruthy();
    expect(operation.errorMessage!.length).toBeLessThan(500);
    expectCatalogUnchanged(run);
    return;
  }

  const failed = run.rows.filter((r) => r.status === "failed");
  const succeeded = run.rows.filter((r) => r.status !== "failed");
  expect(run.rows.filter((r) => r.status === "pending")).toEqual([]);
  for (const row of failed) {
    expect(row.errorCode, `row ${row.rowNumber}`).toBeTruthy();
    expect(row.errorMessage, `row ${row.rowNumber}`).toMatch(new RegExp(`^Row ${row.rowNumber}\\b`));
    expect(row.errorMessage!.length, "messages show long values shortened").toBeLessThan(500);
    expect([row.courseId, row.courseRunId]).toEqual([null, null]);
  }
  if (succeeded.length === 0) {
    expectCatalogUnchanged(run);
    return;
  }
  if (entry.type === "course_create") {
    // Each created row made one course (its uploader an editor) and one run; nothing else appeared.
    expect(run.createdCourses.map((c) => c.id).sort()).toEqual(succeeded.map((r) => r.courseId).sort());
    expect(run.createdCourses.every((c) => c.runs === 1)).toBe(true);
    expect(run.after.counts.courses - run.before.counts.courses).toBe(succeeded.length);
    expect(run.after.counts.runs - run.before.counts.runs).toBe(succeeded.length);
    expect(run.after.fixtures).toBe(run.before.fixtures);
    const createdKeys = new Set(run.createdCourses.map((c) => c.key.toLowerCase()));
    for (const row of failed) {
      const data = row.data as Record<string, string>;
      const key = `${data.organization ?? ""}+${data.number ?? ""}`;
      const existing = await db.course.findMany({
        where: { key: { equals: key, mode: "insensitive" } },
        select: { title: true },
      });
      if (createdKeys.has(key.toLowerCase())) {
        // A duplicate of a created row: the course is the earlier row's, untouched by this one.
        expect(existing.map((c) => c.title)).not.toContain(data.title);
      } else {
        expect(existing, `row ${row.rowNumber} (${key}) wrote a course`).toEqual([]);
      }
    }
  }
}

function expectStoredText(actual: string | null, expected: StoredText, label: string) {
  if (expected !== null && typeof expected === "object") {
    expect(actual?.length, label).toBe(expected.length);
    expect(actual?.startsWith(expected.startsWith), label).toBe(true);
  } else {
    expect(actual, label).toBe(expected);
  }
}

async function expectStored(stored: StoredCourse) {
  const course = await db.course.findUnique({ where: { key: stored.courseKey }, include: { runs: true } });
  expect(course, `course ${stored.courseKey}`).not.toBeNull();
  const fields = course as unknown as Record<string, string | null>;
  for (const [field, value] of Object.entries(stored.course ?? {})) {
    expectStoredText(fields[field], value, `${stored.courseKey} ${field}`);
  }
  if (stored.run) {
    expect(course!.runs).toHaveLength(1);
    expect(course!.runs[0]).toMatchObject(stored.run);
  }
}

async function expectOutcome(entry: BadInputCase, run: CaseRun) {
  const expected = entry.expected;
  if (expected.outcome === "rejected") {
    expect(run.rejected, "startOperation should have refused the upload").toBeInstanceOf(AppError);
    expect({ status: run.rejected!.status, code: run.rejected!.code }).toEqual({
      status: expected.status,
      code: expected.code,
    });
    expect(run.rejected!.message).toMatch(expected.message);
    return;
  }
  expect(run.rejected?.message).toBeUndefined();
  const operation = run.operation!;
  if (expected.outcome === "file failed") {
    expect(operation).toMatchObject({ status: "failed", totalRows: 0, createdCount: 0 });
    expect(operation.errorMessage).toMatch(expected.message);
    if (expected.notMessage) {
      expect(operation.errorMessage).not.toMatch(expected.notMessage);
    }
    expect(run.rows).toEqual([]);
    return;
  }

  expect(operation.status, operation.errorMessage ?? undefined).toBe(expected.status);
  const succeeded = expected.succeeded ?? [];
  expect(run.rows.map((r) => r.rowNumber)).toEqual(
    [...succeeded, ...expected.failures.map((f) => f.rowNumber)].sort((a, b) => a - b),
  );
  expect(run.rows.filter((r) => r.status !== "failed").map((r) => r.rowNumber)).toEqual(succeeded);
  const failed = run.rows.filter((r) => r.status === "failed");
  expect(failed.map((r) => [r.rowNumber, r.errorCode, r.errorColumn])).toEqual(
    expected.failures.map((f) => [f.rowNumber, f.errorCode, f.errorColumn]),
  );
  expected.failures.forEach((f, i) => expect(failed[i].errorMessage, `row ${f.rowNumber}`).toMatch(f.message));
  expect(operation).toMatchObject({ totalRows: run.rows.length, failedCount: expected.failures.length });

  const warnings = (operation.warnings ?? []) as { message: string }[];
  if (expected.warning) {
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(expected.warning)]);
  } else {
    expect(warnings).toEqual([]);
  }
  for (const stored of expected.stored ?? []) {
    await expectStored(stored);
  }
  if (expected.errorCsv) {
    const parsed = Papa.parse<Record<string, string>>(run.errorCsv ?? "", { header: true, skipEmptyLines: true });
    for (const { rowNumber, cells } of expected.errorCsv) {
      const line = parsed.data.find(
        (r) => r.error_message?.startsWith(`Row ${rowNumber},`) || r.error_message?.startsWith(`Row ${rowNumber}:`),
      );
      expect(line, `error CSV line of row ${rowNumber}`).toBeDefined();
      expect(line).toMatchObject(cells);
    }
  }
}

describe("bad input corpus", () => {
  beforeAll(async () => {
    const edx = await db.organization.findUniqueOrThrow({ where: { key: "edX" } });
    for (const number of BAD_INPUT_FIXTURE_COURSES) {
      if (!(await db.course.findUnique({ where: { key: `edX+${number}` } }))) {
        await createTestCourse({ organization: edx, number, runCode: "1T2026" });
      }
    }
  });

  it("has an entry for every file and a file for every entry, at least 30 of them", () => {
    const files = readdirSync(corpusDir)
      .filter((f) => !f.endsWith(".ts"))
      .sort();
    expect(BAD_INPUT_CORPUS.map((e) => e.file).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  for (const entry of BAD_INPUT_CORPUS) {
    describe(`${entry.file} (${entry.type}): ${entry.about}`, () => {
      let run: CaseRun;
      beforeAll(async () => {
        run = await runCase(entry);
      });

      it("ends without a server error and writes nothing for an invalid row", async () => {
        await expectSafe(entry, run);
      });

      const outcome = `is ${entry.expected.outcome}${"status" in entry.expected ? ` (${entry.expected.status})` : ""} with messages naming the problem`;
      if (entry.knownIssue) {
        it.skip(`${outcome} [known issue: ${entry.knownIssue}]`, () => expectOutcome(entry, run));
      } else {
        it(outcome, () => expectOutcome(entry, run));
      }

      if (entry.expected.outcome === "rows" && entry.expected.errorCsv && !entry.knownIssue) {
        it("gives an error CSV that uploads again as it is, with the same failures", async () => {
          const again = await uploadFile(run.user, entry.type, "again.csv", new TextEncoder().encode(run.errorCsv!));
          await runInProcess(again.id);
          const rows = await db.bulkOperationRow.findMany({
            where: { operationId: again.id },
            orderBy: { rowNumber: "asc" },
          });
          const withoutRow = (message: string | null) => message?.replace(/^Row \d+/, "Row n");
          expect(rows.map((r) => [r.status, r.errorCode, r.errorColumn, withoutRow(r.errorMessage)])).toEqual(
            run.rows
              .filter((r) => r.status === "failed")
              .map((r) => [r.status, r.errorCode, r.errorColumn, withoutRow(r.errorMessage)]),
          );
        });
      }
    });
  }
});

describe("upload file names", () => {
  const csv = new TextEncoder().encode("Course Run Key\ncourse-v1:edX+NoSuchCourse+1T2026\n");

  it.each([
    ["a NUL byte", "bad\u0000name.csv", "badname.csv"],
    ["an unpaired surrogate", "\ud83dcourses.csv", "\ufffdcourses.csv"],
    ["an emoji across the 255-character cut", `${"x".repeat(254)}\u{1F600}.csv`, `${"x".repeat(254)}\u{1F600}`],
    ["a right-to-left override disguising the extension", "report\u202evsc.csv", "reportvsc.csv"],
    ["control characters and padding", "  \tcourses\r\n.csv ", "courses.csv"],
  ])("stores a name with %s as readable text instead of failing", async (_what, name, stored) => {
    const user = await actingUser((await createTestUser({ isStaff: true })).id);
    const { id } = await uploadFile(user, "course_run_update", name, csv);
    await runInProcess(id);
    expect(await db.bulkOperation.findUniqueOrThrow({ where: { id } })).toMatchObject({
      fileName: stored,
      status: "failed",
    });
  });

  it("checks the extension after cleaning the name", async () => {
    const user = await actingUser((await createTestUser({ isStaff: true })).id);
    const error = await uploadFile(user, "course_run_update", "courses.csv\u0000.exe", csv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      status: 415,
      message: expect.stringContaining('"courses.csv.exe" is not a CSV file'),
    });
  });
});
