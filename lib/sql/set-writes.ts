import "server-only";

import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Set-based writes for the bulk pipeline. Prisma's query builder writes row by row (or `createMany`
 * without RETURNING); a chunk of thousands of rows goes in as one statement per table, its columns
 * as array parameters expanded by `unnest`.
 */
type SqlType =
  | "text"
  | "text[]"
  | "integer"
  | "boolean"
  | "timestamp(3)"
  | "numeric(10,2)"
  /** A quoted enum type, such as `"Pacing"`. */
  | `"${string}"`
  | "jsonb";

/**
 * `true` when a row type has exactly the model's columns (Prisma's `<Model>ScalarFieldEnum`), less those a
 * writer leaves to their defaults; otherwise the columns that differ, as a type error where it is used.
 */
export type SameColumns<Row, ModelColumn extends string, LeftToDefault extends ModelColumn = never> = [
  Exclude<keyof Row, ModelColumn>,
  Exclude<ModelColumn, keyof Row | LeftToDefault>,
] extends [never, never]
  ? true
  : { notInModel: Exclude<keyof Row, ModelColumn>; notInSpec: Exclude<ModelColumn, keyof Row | LeftToDefault> };

export type TableSpec<Row> = { name: string; columns: { [K in keyof Row]-?: SqlType } };

export type Tx = Prisma.TransactionClient;

/**
 * What the set-based writers need: Prisma's raw API, which a Prisma transaction has, and which
 * `inTransaction` (./sql-pool) gives a plain pg connection.
 */
export interface RawSql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

/**
 * The rows as a relation `r` with the spec's columns, for `INSERT … SELECT` and `UPDATE … FROM`: one
 * array parameter per column expanded by `unnest`, or a single parameter when every row has the same
 * value (timestamps, the operation, the uploader). Column-wise, values travel without their keys,
 * which halves what a chunk sends compared with one JSON document per row. A JSON column travels as
 * one JSON array, picked apart by row position, which spares escaping each document as an array item.
 */
export function rowsSource<Row>(
  table: TableSpec<Row>,
  rows: Row[],
  firstParam = 1,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const arrays: string[] = [];
  const documents: string[] = [];
  const selected: string[] = [];
  const nextParam = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  for (const [column, type] of Object.entries(table.columns) as [string, SqlType][]) {
    const raw = rows.map((row) => (row as Record<string, unknown>)[column] ?? null);
    if (type === "jsonb" && raw.some((v) => v !== null)) {
      documents.push(`(SELECT ${nextParam(JSON.stringify(raw))}::jsonb AS j) AS d${documents.length + 1}`);
      selected.push(`NULLIF(d${documents.length}.j -> (u.n - 1)::int, 'null'::jsonb) AS "${column}"`);
      continue;
    }
    const values = raw.map((v) => toParam(v, type));
    // Lists travel as their text form and are cast row by row.
    const element = type === "text[]" || type === "jsonb" ? "text" : type;
    const cast = element === type ? "" : `::${type}`;
    if (values.every((v) => v === values[0])) {
      selected.push(`${nextParam(values[0])}::${element}${cast} AS "${column}"`);
    } else {
      // Sent as one array literal: pg's own array encoding escapes item by item, several times slower.
      arrays.push(`${nextParam(arrayLiteral(values))}::${element}[]`);
      selected.push(`u.c${arrays.length}${cast} AS "${column}"`);
    }
  }
  const from = arrays.length
    ? `unnest(${arrays.join(", ")}) WITH ORDINALITY AS u(${arrays.map((_, i) => `c${i + 1}`).join(", ")}, n)`
    : `generate_series(1, ${rows.length}) AS u(n)`;
  return { sql: `(SELECT ${selected.join(", ")} FROM ${[from, ...documents].join(", ")}) AS r`, params };
}

/** A value as its parameter: dates as UTC ISO text (the columns are UTC `timestamp`), lists as text. */
function toParam(value: unknown, type: SqlType): string | number | boolean | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (type === "text[]") {
    return arrayLiteral(value as (string | null)[]);
  }
  return value as string | number | boolean;
}

/** A PostgreSQL array literal: every item quoted, `"` and `\\` escaped, null as NULL. */
function arrayLiteral(items: readonly (string | number | boolean | null)[]) {
  const quoted = items.map((item) => {
    if (item === null) {
      return "NULL";
    }
    const text = String(item);
    return text.includes('"') || text.includes("\\") ? `"${text.replace(/(["\\])/g, "\\$1")}"` : `"${text}"`;
  });
  return `{${quoted.join(",")}}`;
}

/**
 * Inserts every row in one statement; rows that hit a unique constraint are skipped.
 * Returns the value of `returning` for the rows actually inserted.
 */
export async function insertRows<Row, K extends keyof Row & string>(
  tx: RawSql,
  table: TableSpec<Row>,
  rows: Row[],
  options: { returning: K },
): Promise<Row[K][]>;
export async function insertRows<Row>(tx: RawSql, table: TableSpec<Row>, rows: Row[]): Promise<void>;
export async function insertRows<Row>(
  tx: RawSql,
  table: TableSpec<Row>,
  rows: Row[],
  options?: { returning: keyof Row & string },
): Promise<unknown[] | void> {
  if (rows.length === 0) {
    return options ? [] : undefined;
  }
  const columns = Object.keys(table.columns)
    .map((c) => `"${c}"`)
    .join(", ");
  const source = rowsSource(table, rows);
  const sql =
    `INSERT INTO "${table.name}" (${columns}) SELECT ${columns} FROM ${source.sql} ` +
    `ON CONFLICT DO NOTHING` +
    (options ? ` RETURNING "${options.returning}" AS value` : "");
  if (!options) {
    await tx.$executeRawUnsafe(sql, ...source.params);
    return;
  }
  const inserted = await tx.$queryRawUnsafe<{ value: unknown }[]>(sql, ...source.params);
  return inserted.map((r) => r.value);
}

/**
 * Inserts rows that cannot collide with existing ones, such as the runs, seats and links of courses
 * this transaction has just created: a plain INSERT, without the per-row arbiter checks of ON CONFLICT.
 * A collision would fail the statement, as any other constraint does.
 */
export async function insertNewRows<Row>(tx: RawSql, table: TableSpec<Row>, rows: Row[]): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  const columns = Object.keys(table.columns)
    .map((c) => `"${c}"`)
    .join(", ");
  const source = rowsSource(table, rows);
  await tx.$executeRawUnsafe(
    `INSERT INTO "${table.name}" (${columns}) SELECT ${columns} FROM ${source.sql}`,
    ...source.params,
  );
}

/**
 * Writes whole rows back by id in one statement: every column of the spec but `id` and `createdAt`.
 * Callers lock the rows (SELECT … FOR UPDATE) before reading them, so merged values cannot lose a
 * concurrent update.
 */
export async function updateRows<Row extends { id: string }>(tx: RawSql, table: TableSpec<Row>, rows: Row[]) {
  if (rows.length === 0) {
    return;
  }
  const assignments = Object.keys(table.columns)
    .filter((c) => c !== "id" && c !== "createdAt")
    .map((c) => `"${c}" = r."${c}"`)
    .join(", ");
  const source = rowsSource(table, rows);
  await tx.$executeRawUnsafe(
    `UPDATE "${table.name}" AS t SET ${assignments} FROM ${source.sql} WHERE t."id" = r."id"`,
    ...source.params,
  );
}
