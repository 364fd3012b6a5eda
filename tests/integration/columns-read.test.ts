import { describe, expect, it } from "vitest";

import { parseRow } from "@/lib/bulk/csv/parse-row";
import type { ApplyContext } from "@/lib/bulk/operations/definition";
import { operationDefinition } from "@/lib/bulk/operations/registry";
import type { BulkRowResult } from "@/lib/bulk/operations/row-result";
import { exampleCells } from "@/lib/bulk/results/build-template";
import type { OperationType } from "@/lib/bulk/vocabulary/operation-types";
import { db } from "@/lib/db";
import { sqlOn, sqlPool } from "@/lib/sql/sql-pool";

import { createTestCourse, createTestOrg, createTestUser } from "../fixtures/factories";

// The zod row schema is the only list of an operation's columns, so nothing else would notice a column
// added to it and never used: this test does. Each operation's example row (the template's), aimed at a
// course of the test's own, is applied in a transaction that is rolled back, with the parsed row watched:
// every column of the schema must be read by the apply. (course_update's course columns are also checked
// by the compiler: COURSE_FIELD_WRITES.)

class Rollback extends Error {}

/** Runs the operation's apply on one row in a transaction that is rolled back; returns the columns it read. */
async function columnsRead(type: OperationType, cells: Record<string, string>, uploaderId: string) {
  const definition = operationDefinition(type);
  const parsed = parseRow(definition.rowSchema, cells);
  if (!parsed.ok) {
    throw new Error(`${type}: the example row does not parse: ${parsed.message}`);
  }
  const read = new Set<string>();
  const row = new Proxy(parsed.row, {
    get(target, key, receiver) {
      if (typeof key === "string") {
        read.add(key);
      }
      return Reflect.get(target, key, receiver);
    },
  });
  const context = {
    operationId: "00000000-0000-4000-8000-000000000000",
    uploader: { id: uploaderId, isStaff: true, organizationIds: new Set<string>() },
    now: new Date(),
  };
  let results: BulkRowResult[] = [];
  if (definition.transaction === "sql") {
    const client = await sqlPool().connect();
    try {
      await client.query("BEGIN");
      results = await definition.apply(
        {
          ...context,
          tx: sqlOn(client),
        },
        [{ rowNumber: 1, row }],
      );
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  } else {
    const apply = definition.apply;
    await db
      .$transaction(async (tx) => {
        results = await apply({ ...context, tx } satisfies ApplyContext, [{ rowNumber: 1, row }]);
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) {
          throw error;
        }
      });
  }
  // Of alternative key columns (course_key or course_uuid) a row names one, and the apply reads that one.
  const alternatives = definition.keyColumns ?? [];
  const unread = Object.keys(definition.rowSchema.shape).filter(
    (column) => !read.has(column) && !(alternatives.includes(column) && alternatives.some((c) => read.has(c))),
  );
  return { result: results[0], unread };
}

/** What each operation's example row does to the test's course: every operation is here (the compiler says so). */
const OUTCOME: Record<OperationType, BulkRowResult["status"]> = {
  course_create: "created",
  course_update: "updated",
  course_run_update: "updated",
  course_rerun: "created",
  course_editor_update: "created",
};

describe("every column of an operation's row schema is used by its apply", () => {
  it.each(Object.entries(OUTCOME) as [OperationType, string][])("%s", async (type, outcome) => {
    const organization = await createTestOrg();
    const course = await createTestCourse({ organization });
    const run = await db.courseRun.findFirstOrThrow({ where: { courseId: course.id } });
    const staff = await createTestUser({ isStaff: true });
    const author = await createTestUser({ memberships: [{ organization, role: "author" }] });
    const targets: Partial<Record<string, string>> = {
      organization: organization.key,
      course_key: course.key,
      course_run_key: run.key,
      last_active_run_key: run.key,
      course_key_or_uuid: course.key,
      username_or_email: author.email,
      expected_modified: "",
      course_uuid: "",
    };
    const definition = operationDefinition(type);
    // The template's example row, blank cells left out.
    const cells = Object.fromEntries(Object.entries(exampleCells(type)).filter(([, value]) => value !== ""));
    for (const [column, value] of Object.entries(targets)) {
      if (column in definition.rowSchema.shape && column !== "course_uuid") {
        if (value) {
          cells[column] = value;
        } else {
          delete cells[column];
        }
      }
    }
    const { result, unread } = await columnsRead(type, cells, staff.id);
    expect(result).toMatchObject({ status: outcome });
    expect(unread).toEqual([]);
  });
});
