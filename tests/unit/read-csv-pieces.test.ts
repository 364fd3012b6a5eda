import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { type CsvRow, readCsv } from "@/lib/bulk/csv/read-csv";

// The job reads a stored upload back as pieces: whatever their size, and wherever they split a line, a
// multi-byte character or the BOM, the rows and the file's problems are those of the whole file.

const fixtureDirs = [join(__dirname, "../fixtures/csv"), join(__dirname, "../fixtures/bad")];
const files = fixtureDirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => !name.endsWith(".ts"))
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) })),
);

async function outcome(source: Parameters<typeof readCsv>[0]) {
  const rows: CsvRow[] = [];
  try {
    const summary = await readCsv(source, (batch) => void rows.push(...batch), { batchSize: 7 });
    return { summary, rows };
  } catch (error) {
    return { error: { name: (error as Error).name, message: (error as Error).message }, rows: rows.length };
  }
}

function inPieces(bytes: Uint8Array, size: number) {
  return async function* () {
    for (let offset = 0; offset < bytes.length; offset += size) {
      yield bytes.subarray(offset, offset + size);
    }
  };
}

const mixed = new Uint8Array(
  Buffer.concat([Buffer.from("\ufefftitle\nÉconomie\n", "utf8"), Buffer.from("Économie – coût\n", "latin1")]),
);

describe("readCsv from pieces", () => {
  it.each([...files, { name: "mixed encodings after a BOM", bytes: mixed }])(
    "reads $name as it reads the whole file",
    async ({ bytes }) => {
      const whole = await outcome(bytes);
      const sizes = bytes.length > 20_000 ? [97, 4_093, 65_537] : [1, 2, 3, 5, 4_093, 65_537];
      for (const size of sizes) {
        expect(await outcome(inPieces(bytes, size)), `pieces of ${size} bytes`).toEqual(whole);
      }
    },
  );

  it("names the line of a mixed encoding split across pieces", async () => {
    const result = await outcome(inPieces(mixed, 1));
    expect(result.error?.message).toContain("line 3");
  });
});
