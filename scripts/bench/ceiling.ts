// `node --import tsx scripts/bench/ceiling.ts '<CeilingSpec JSON>'`: the database's ceiling for the bulk
// pipeline's writes, run by `npm run bench` in a process of its own, DATABASE_URL pointing at a second fresh
// database on the benchmark's server. Prints one CeilingRun per file, as JSON.
//
// For each file: the product stores and validates it (`startOperation`, `validateOperation`), then for each
// 2,500-row chunk:
//  1. Capture, untimed: the operation's own `apply` plans the chunk's pending rows with a RawSql handle whose
//     reads run for real (without their row locks) and whose writes run unchanged against the same-named
//     tables of the `bench_ceiling` schema (search_path): those staging tables then hold exactly the typed
//     rows the product would write. An update's target rows are copied there first, so that its UPDATE and
//     DELETE statements have rows to change; what it did not change is dropped afterwards.
//  2. Replay, timed: one transaction, committed, of the statements the chunk needs, as INSERT … SELECT and
//     UPDATE … FROM the staging tables, the row results and the counters included, sent as one call and
//     timed inside PostgreSQL with clock_timestamp() (no client work between the statements).
// Each chunk's replay is committed before the next chunk is captured, so every chunk is planned against
// what the earlier ones wrote, as in the job. The real tables only ever receive the replay.
import fs from "node:fs";

import type pg from "pg";

import type { ActingUser } from "@/lib/auth/require-user";
import type { Uploader } from "@/lib/bulk/operations/definition";
import { operationDefinition } from "@/lib/bulk/operations/registry";
import type { BulkRowResult } from "@/lib/bulk/operations/row-result";
import { finalizeOperation } from "@/lib/bulk/pipeline/finalize-operation";
import { parseStoredRows } from "@/lib/bulk/pipeline/process-chunk";
import { CHUNK_SIZE } from "@/lib/bulk/pipeline/run-operation";
import { validateOperation } from "@/lib/bulk/pipeline/validate-operation";
import type { OperationType } from "@/lib/bulk/vocabulary/operation-types";
import {
  courseEditorTable,
  courseOrganizationTable,
  courseRunTable,
  courseTable,
  seatTable,
} from "@/lib/catalog/tables";
import { type RawSql } from "@/lib/sql/set-writes";
import { sqlPool } from "@/lib/sql/sql-pool";

import { createUploader, disconnect, upload } from "./pipeline";

export interface CeilingSpec {
  files: { type: CeilingType; path: string }[];
}

type CeilingType = Extract<OperationType, "course_create" | "course_update">;

export interface CeilingRun {
  type: CeilingType;
  /** Rows that reached apply (pending after validation), as the product's apply rate counts them. */
  rows: number;
  chunks: number;
  chunkRows: number;
  /** The replays' time inside PostgreSQL, commits included. */
  ms: number;
  /** Per statement, summed over the chunks. */
  statements: { name: string; ms: number }[];
  /** The row outcomes, to compare with the product's run of the same file. */
  outcome: { created: number; updated: number; unchanged: number; failed: number };
}

const STAGING = "bench_ceiling";

type Spec = { name: string; columns: Record<string, string> };

const quoted = (column: string) => `"${column}"`;
const columnsOf = (spec: Spec) => Object.keys(spec.columns).map(quoted).join(", ");
const staged = (spec: Spec) => `${STAGING}."${spec.name}"`;

/** The columns of a row result (every key of BulkRowResult: a new field fails the type check here). */
const ROW_RESULT_COLUMNS = Object.keys({
  rowNumber: 0,
  status: 0,
  targetKey: 0,
  errorCode: 0,
  errorColumn: 0,
  errorMessage: 0,
  courseId: 0,
  courseRunId: 0,
  changes: 0,
} satisfies Record<keyof BulkRowResult, 0>);

/** The tables each operation's apply writes, and nothing else (anything else staged stops the run). */
const WRITTEN: Record<CeilingType, Spec[]> = {
  course_create: [courseTable, courseOrganizationTable, courseRunTable, seatTable, courseEditorTable],
  course_update: [courseTable, courseRunTable, seatTable],
};

interface Statement {
  name: string;
  sql: string;
}

function insertFromStaging(spec: Spec, { onConflictDoNothing = false } = {}) {
  const columns = columnsOf(spec);
  return `INSERT INTO "${spec.name}" (${columns}) SELECT ${columns} FROM ${staged(spec)}${onConflictDoNothing ? " ON CONFLICT DO NOTHING" : ""}`;
}

/** As `updateRows` writes: every column of the spec but `id` and `createdAt`, by id. */
function updateFromStaging(spec: Spec) {
  const assignments = Object.keys(spec.columns)
    .filter((c) => c !== "id" && c !== "createdAt")
    .map((c) => `"${c}" = r."${c}"`)
    .join(", ");
  return `UPDATE "${spec.name}" AS t SET ${assignments} FROM ${staged(spec)} AS r WHERE t."id" = r."id"`;
}

/** What every chunk ends with, as `recordResults` does: the row results, then the operation's counters. */
function resultStatements(operationId: string): Statement[] {
  // A failed row keeps the target key validation gave it, as `writeRowResults` has it.
  const assignments = ROW_RESULT_COLUMNS.filter((c) => c !== "rowNumber")
    .map((c) => (c === "targetKey" ? `"${c}" = COALESCE(r."${c}", t."${c}")` : `"${c}" = r."${c}"`))
    .join(", ");
  const count = (status: string) => `count(*) FILTER (WHERE "status" = '${status}')::int AS "${status}"`;
  return [
    {
      name: "row results",
      sql:
        `UPDATE "BulkOperationRow" AS t SET ${assignments} FROM ${STAGING}.row_result AS r ` +
        `WHERE t."operationId" = '${operationId}' AND t."rowNumber" = r."rowNumber" AND t."status"::text = 'pending'`,
    },
    {
      name: "counters",
      sql:
        `UPDATE "BulkOperation" AS o SET "processedRows" = o."processedRows" + c."processed", ` +
        `"createdCount" = o."createdCount" + c."created", "updatedCount" = o."updatedCount" + c."updated", ` +
        `"unchangedCount" = o."unchangedCount" + c."unchanged", "failedCount" = o."failedCount" + c."failed", ` +
        `"heartbeatAt" = c."at", "updatedAt" = c."at" FROM (SELECT count(*)::int AS "processed", ${count("created")}, ` +
        `${count("updated")}, ${count("unchanged")}, ${count("failed")}, ` +
        `(clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3) AS "at" FROM ${STAGING}.row_result) AS c WHERE o."id" = '${operationId}'`,
    },
    { name: "commit", sql: "COMMIT" },
  ];
}

const lockedCourseIds = `ARRAY(SELECT "id" FROM ${STAGING}.locked_course)`;

/** The chunk's lock, as processChunk takes it. */
const chunkLock = (operationId: string, first: number): Statement => ({
  name: "chunk lock",
  sql: `SELECT pg_advisory_xact_lock(hashtext('${operationId}'), ${first})`,
});

/** The statements of one chunk, as the job runs them, reading what the capture staged. */
const REPLAY: Record<CeilingType, (operationId: string, first: number) => Statement[]> = {
  course_create: (operationId, first) => [
    chunkLock(operationId, first),
    { name: "course", sql: insertFromStaging(courseTable, { onConflictDoNothing: true }) },
    { name: "organization link", sql: insertFromStaging(courseOrganizationTable) },
    { name: "run", sql: insertFromStaging(courseRunTable) },
    { name: "seats", sql: insertFromStaging(seatTable) },
    { name: "editor", sql: insertFromStaging(courseEditorTable) },
    ...resultStatements(operationId),
  ],
  course_update: (operationId, first) => [
    chunkLock(operationId, first),
    // The read set: whole rows (count(x.*) builds each one), as the product reads them to merge its rows in.
    {
      name: "read set: courses locked FOR UPDATE",
      sql: `SELECT count(c.*) FROM (SELECT * FROM "Course" WHERE "id" = ANY(${lockedCourseIds}) ORDER BY "id" FOR UPDATE) AS c`,
    },
    {
      name: "read set: their runs",
      sql: `SELECT count(r.*) FROM "CourseRun" AS r WHERE r."courseId" = ANY(${lockedCourseIds})`,
    },
    {
      name: "read set: their seats",
      sql: `SELECT count(s.*) FROM "Seat" AS s WHERE s."runId" = ANY(ARRAY(SELECT "id" FROM "CourseRun" WHERE "courseId" = ANY(${lockedCourseIds})))`,
    },
    { name: "course", sql: updateFromStaging(courseTable) },
    { name: "run", sql: updateFromStaging(courseRunTable) },
    {
      name: "seats: delete",
      sql: `DELETE FROM "Seat" WHERE "runId" = ANY(ARRAY(SELECT "runId" FROM ${STAGING}.reseated_run))`,
    },
    { name: "seats: insert", sql: insertFromStaging(seatTable, { onConflictDoNothing: true }) },
    ...resultStatements(operationId),
  ],
};

/**
 * Staging tables: one like every table of the schema (so that any write of the capture lands in staging),
 * plus the row results, the courses an update locked and the runs whose seats it replaced.
 */
async function createStaging(client: pg.ClientBase) {
  const { rows } = await client.query<{ name: string }>(
    `SELECT table_name AS "name" FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const statements = [
    `DROP SCHEMA IF EXISTS ${STAGING} CASCADE`,
    `CREATE SCHEMA ${STAGING}`,
    ...rows.map(({ name }) => `CREATE UNLOGGED TABLE ${STAGING}."${name}" (LIKE public."${name}" INCLUDING DEFAULTS)`),
    `CREATE UNLOGGED TABLE ${STAGING}.row_result AS SELECT ${ROW_RESULT_COLUMNS.map(quoted).join(", ")} FROM public."BulkOperationRow" WITH NO DATA`,
    `CREATE UNLOGGED TABLE ${STAGING}.locked_course ("id" text PRIMARY KEY)`,
    `CREATE UNLOGGED TABLE ${STAGING}.reseated_run ("runId" text PRIMARY KEY)`,
  ];
  for (const sql of statements) {
    await client.query(sql);
  }
  return rows.map((r) => r.name);
}

/**
 * The product's statements on the capture's transaction: reads as they are, minus `FOR UPDATE` (the locked
 * rows' ids are kept: the update's read set; the lock itself would write the pages the replay then writes),
 * writes against the staging tables.
 */
function capturingSql(client: pg.ClientBase, searchPath: string, lockedIds: Set<string>): RawSql {
  let copied = false;
  const run = async (query: string, values: unknown[]) => {
    if (/^\s*(INSERT|UPDATE|DELETE|MERGE)\b/i.test(query)) {
      if (!copied && lockedIds.size > 0) {
        await copyTargets(client, [...lockedIds]);
      }
      copied = true;
      await client.query(`SELECT set_config('search_path', $1, true)`, [`${STAGING}, ${searchPath}`]);
      try {
        return await client.query(query, values);
      } finally {
        await client.query(`SELECT set_config('search_path', $1, true)`, [searchPath]);
      }
    }
    const locking = /\s+FOR\s+UPDATE\s*$/i;
    if (!locking.test(query)) {
      return client.query(query, values);
    }
    const result = await client.query<{ id?: string }>(query.replace(locking, ""), values);
    for (const row of result.rows) {
      if (typeof row.id !== "string") {
        throw new Error(`A locking read of the product returned no "id" column: ${query.slice(0, 120)}`);
      }
      lockedIds.add(row.id);
    }
    return result;
  };
  return {
    async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]) {
      return (await run(query, values)).rows as T;
    },
    async $executeRawUnsafe(query: string, ...values: unknown[]) {
      return (await run(query, values)).rowCount ?? 0;
    },
  };
}

/** The locked courses with their runs and seats, copied into staging for an update's statements to change. */
async function copyTargets(client: pg.ClientBase, courseIds: string[]) {
  await client.query(`INSERT INTO ${STAGING}."Course" SELECT * FROM public."Course" WHERE "id" = ANY($1::text[])`, [
    courseIds,
  ]);
  await client.query(
    `INSERT INTO ${STAGING}."CourseRun" SELECT * FROM public."CourseRun" WHERE "courseId" = ANY($1::text[])`,
    [courseIds],
  );
  await client.query(
    `INSERT INTO ${STAGING}."Seat" SELECT s.* FROM public."Seat" AS s JOIN public."CourseRun" AS r ON r."id" = s."runId" ` +
      `WHERE r."courseId" = ANY($1::text[])`,
    [courseIds],
  );
}

/**
 * After an update's capture, staging keeps only what changed: courses and runs that differ from their
 * copies' originals, the seats added, and the runs whose seats were replaced (a seat gone or added).
 */
async function keepChanges(client: pg.ClientBase) {
  for (const spec of [courseTable, courseRunTable]) {
    await client.query(
      `DELETE FROM ${staged(spec)} AS s USING public."${spec.name}" AS p WHERE s."id" = p."id" AND ROW(s.*) IS NOT DISTINCT FROM ROW(p.*)`,
    );
  }
  await client.query(
    `INSERT INTO ${STAGING}.reseated_run ("runId") ` +
      `SELECT p."runId" FROM public."Seat" AS p JOIN public."CourseRun" AS r ON r."id" = p."runId" ` +
      `WHERE r."courseId" IN (SELECT "id" FROM ${STAGING}.locked_course) ` +
      `AND NOT EXISTS (SELECT 1 FROM ${staged(seatTable)} AS s WHERE s."id" = p."id") ` +
      `UNION SELECT s."runId" FROM ${staged(seatTable)} AS s WHERE NOT EXISTS (SELECT 1 FROM public."Seat" AS p WHERE p."id" = s."id")`,
  );
  await client.query(`DELETE FROM ${staged(seatTable)} AS s USING public."Seat" AS p WHERE s."id" = p."id"`);
}

async function count(client: pg.ClientBase, sql: string, values: unknown[] = []) {
  return (await client.query<{ n: number }>(`SELECT (${sql})::int AS n`, values)).rows[0].n;
}

/** Stages one chunk: the product's apply planned it; its writes, results and read set are in staging. */
async function captureChunk(
  client: pg.ClientBase,
  context: {
    type: CeilingType;
    operationId: string;
    uploader: Uploader;
    searchPath: string;
    tables: string[];
    first: number;
    last: number;
  },
) {
  const { type, operationId, uploader, first, last } = context;
  const definition = operationDefinition(type);
  if (definition.transaction !== "sql") {
    throw new Error(`${type} no longer applies on a plain connection: the ceiling's capture needs updating`);
  }
  await client.query("BEGIN");
  try {
    await client.query(
      `TRUNCATE ${[...WRITTEN.course_create.map(staged), `${STAGING}.row_result`, `${STAGING}.locked_course`, `${STAGING}.reseated_run`].join(", ")}`,
    );
    // The chunk's pending rows, read and parsed as processChunk does before calling apply.
    const { rows } = await client.query<{ rowNumber: number; data: Record<string, string> }>(
      `SELECT "rowNumber", "data" FROM "BulkOperationRow" WHERE "operationId" = $1 AND "status"::text = 'pending' ` +
        `AND "rowNumber" BETWEEN $2 AND $3 ORDER BY "rowNumber"`,
      [operationId, first, last],
    );
    const { parsedRows, invalid: results } = parseStoredRows(definition, rows);
    const lockedIds = new Set<string>();
    const sql = capturingSql(client, context.searchPath, lockedIds);
    results.push(...(await definition.apply({ tx: sql, operationId, uploader, now: new Date() }, parsedRows)));

    const unexpected = context.tables.filter((t) => !WRITTEN[type].some((spec) => spec.name === t));
    for (const table of unexpected) {
      if ((await count(client, `SELECT count(*) FROM ${STAGING}."${table}"`)) > 0) {
        throw new Error(`${type} now writes "${table}": scripts/bench/ceiling.ts does not replay it yet`);
      }
    }
    await client.query(
      `INSERT INTO ${STAGING}.row_result SELECT * FROM json_populate_recordset(NULL::${STAGING}.row_result, $1::json)`,
      [JSON.stringify(results)],
    );
    await client.query(`INSERT INTO ${STAGING}.locked_course SELECT unnest($1::text[])`, [[...lockedIds]]);
    const written = new Set(
      results.filter((r) => r.status === (type === "course_create" ? "created" : "updated")).map((r) => r.courseId),
    ).size;
    if (type === "course_update") {
      await keepChanges(client);
    }
    // Every course the results call created or updated must be in staging, and nothing more.
    const stagedCourses = await count(client, `SELECT count(*) FROM ${staged(courseTable)}`);
    if (stagedCourses !== written) {
      throw new Error(`${type}: ${stagedCourses} courses staged for ${written} rows' courses written`);
    }
    await client.query(`ANALYZE ${[...WRITTEN[type].map(staged), `${STAGING}.row_result`].join(", ")}`);
    await client.query("COMMIT");
    return { rows: rows.length, results: results.length };
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/** Runs the chunk's statements in one call and transaction; clock_timestamp() before and after each. */
async function replayChunk(client: pg.ClientBase, statements: Statement[], expectedResults: number) {
  const tick = `SELECT extract(epoch FROM clock_timestamp())::float8 AS "t"`;
  await client.query("BEGIN");
  let results: pg.QueryResult[];
  try {
    results = (await client.query(
      [tick, ...statements.flatMap((s) => [s.sql, tick])].join(";\n"),
    )) as unknown as pg.QueryResult[];
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
  const ticks = results.filter((_, i) => i % 2 === 0).map((r) => (r.rows[0] as { t: number }).t * 1000);
  const recorded = results[2 * statements.findIndex((s) => s.name === "row results") + 1].rowCount;
  if (recorded !== expectedResults) {
    throw new Error(`The replay recorded ${recorded} row results, the capture ${expectedResults}`);
  }
  return statements.map((s, i) => ({ name: s.name, ms: ticks[i + 1] - ticks[i] }));
}

async function measure(type: CeilingType, path: string, user: ActingUser, client: pg.ClientBase, tables: string[]) {
  const log = (message: string) => console.error(`[bench] ceiling, ${type}: ${message}`);
  const operationId = await upload(user, type, path);
  if (!/^[0-9a-f-]{36}$/.test(operationId)) {
    throw new Error(`Unexpected operation id ${operationId}`);
  }
  const validation = await validateOperation(operationId);
  if (validation.outcome !== "apply") {
    throw new Error(`${path} did not validate for apply (${validation.outcome})`);
  }
  const uploader: Uploader = {
    id: user.id,
    isStaff: user.isStaff,
    organizationIds: new Set(user.memberships.map((m) => m.organizationId)),
  };
  const searchPath = (await client.query<{ search_path: string }>("SHOW search_path")).rows[0].search_path;
  const totals = new Map(REPLAY[type](operationId, 1).map((s) => [s.name, 0]));
  let rows = 0;
  let chunks = 0;
  for (let first = 1; first <= validation.totalRows; first += CHUNK_SIZE) {
    const last = Math.min(first + CHUNK_SIZE - 1, validation.totalRows);
    const captured = await captureChunk(client, { type, operationId, uploader, searchPath, tables, first, last });
    if (captured.rows === 0) {
      continue;
    }
    for (const { name, ms } of await replayChunk(client, REPLAY[type](operationId, first), captured.results)) {
      totals.set(name, totals.get(name)! + ms);
    }
    rows += captured.rows;
    chunks++;
    if (chunks % 10 === 0) {
      log(`${rows} rows`);
    }
  }
  await finalizeOperation(operationId);
  const { rows: outcome } = await client.query<CeilingRun["outcome"]>(
    `SELECT "createdCount" AS "created", "updatedCount" AS "updated", "unchangedCount" AS "unchanged", "failedCount" AS "failed" ` +
      `FROM "BulkOperation" WHERE "id" = $1`,
    [operationId],
  );
  const perStatement = [...totals].map(([name, ms]) => ({ name, ms }));
  return {
    type,
    rows,
    chunks,
    chunkRows: CHUNK_SIZE,
    ms: perStatement.reduce((sum, s) => sum + s.ms, 0),
    statements: perStatement,
    outcome: outcome[0],
  } satisfies CeilingRun;
}

async function main() {
  const spec = JSON.parse(process.argv[2]) as CeilingSpec;
  const { user } = await createUploader();
  const client = await sqlPool().connect();
  try {
    const tables = await createStaging(client);
    const runs: CeilingRun[] = [];
    for (const file of spec.files) {
      if (!fs.existsSync(file.path)) {
        throw new Error(`${file.path} does not exist`);
      }
      runs.push(await measure(file.type, file.path, user, client, tables));
    }
    process.stdout.write(JSON.stringify(runs));
  } finally {
    client.release();
    await disconnect();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
