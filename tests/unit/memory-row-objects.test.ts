import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import { describe, expect, it } from "vitest";

import { cellsByColumn } from "@/lib/bulk/csv/read-csv";

// Validation keeps a batch of rows (their cells by column) alive while PostgreSQL stores the previous
// one, so what one row's object holds counts many times over in the job's memory.

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapAfterGc() {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

// As wide as a course_create file, with an unnamed column.
const HEADERS = Array.from({ length: 27 }, (_, i) => (i === 5 ? "" : `column_${i}`));

function cells(row: number) {
  // Optional cells blank in varying patterns; values distinct per row, as titles and course numbers are.
  return HEADERS.map((_, i) => (i > 8 && (row * 7 + i * 13) % 5 === 0 ? "" : `value ${row}-${i}`));
}

describe("cellsByColumn", () => {
  it("keeps the named, non-blank cells, in column order", () => {
    expect(cellsByColumn(["title", "", "number", "price"], ["Intro", "x", "", "49"])).toEqual({
      title: "Intro",
      price: "49",
    });
    const row = cellsByColumn(HEADERS, cells(1));
    expect(Object.keys(row)).toEqual(HEADERS.filter((h, i) => h && cells(1)[i] !== ""));
  });

  it("holds a wide row in fast properties, not a hash table", () => {
    const inputs = Array.from({ length: 20_000 }, (_, i) => cells(i));
    // The first rows give V8 its maps for the row's shape.
    inputs.slice(0, 100).forEach((input) => cellsByColumn(HEADERS, input));
    const before = heapAfterGc();
    const rows = inputs.map((input) => cellsByColumn(HEADERS, input));
    const perRow = (heapAfterGc() - before) / rows.length;
    expect(rows).toHaveLength(inputs.length);
    // About 230 bytes; set one key at a time from the header, the same rows took about 1,600.
    expect(perRow).toBeLessThan(400);
  });
});
