// `tsx --tsconfig tsconfig.scripts.json scripts/bench/parse-rate.ts <file.csv> <operation type>`: the
// CPU side of validation alone (read the CSV, build each row's cells, parse it against the operation's
// row schema; nothing stored), printed as rows per second. Run by the benchmark in a child process.
import fs from "node:fs";

async function main() {
  const [path, type] = process.argv.slice(2);
  // lib modules load lib/db, which wants a URL; nothing here connects.
  process.env.DATABASE_URL ??= "postgresql://localhost/unused";
  const { operationDefinition } = await import("@/lib/bulk/operations/registry");
  const { parseRow } = await import("@/lib/bulk/csv/parse-row");
  const { readCsv } = await import("@/lib/bulk/csv/read-csv");
  const schema = operationDefinition(type as Parameters<typeof operationDefinition>[0]).rowSchema;
  const bytes = new Uint8Array(fs.readFileSync(path));
  let rows = 0;
  let valid = 0;
  const started = performance.now();
  await readCsv(bytes, (batch, header) => {
    for (const { cells } of batch) {
      const data: Record<string, string> = {};
      header.headers.forEach((column, i) => {
        if (column && cells[i] !== "") {
          data[column] = cells[i];
        }
      });
      valid += parseRow(schema, data).ok ? 1 : 0;
      rows++;
    }
  });
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ rows, valid, ms, rowsPerSecond: Math.round((rows * 1000) / ms) }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
