import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { textCell } from "@/lib/bulk/csv/cells";
import { parseRow } from "@/lib/bulk/csv/parse-row";
import { readCsv } from "@/lib/bulk/csv/read-csv";
import { csvLines, writeCsv } from "@/lib/bulk/csv/write-csv";

/** Cells a spreadsheet would evaluate (or that start with a control character it would act on). */
const FORMULA_LIKE = [
  "=1+1",
  "=1+1\n+2",
  "=1+1\r\n+2",
  "+1",
  "-5 tips",
  "@SUM(A1)",
  "\t=1+1",
  "\r=1+1",
  "\n=1+1",
  "\tplain",
  " =1+1",
  "  @SUM(A1)",
  "\u00a0=1",
  "-2\n=cmd|' /C calc'!A0",
];
const PLAIN = ["plain", "a=b", "1-2", "x\n=1", "'quoted", "'=already marked", "", "with, comma", 'say "hi"'];

const cellsOf = (csv: string) => Papa.parse<string[]>(csv, { newline: "\r\n" }).data;

describe("writeCsv", () => {
  it("puts an apostrophe before every cell a spreadsheet would evaluate, line breaks and all", () => {
    const csv = writeCsv(
      ["value"],
      FORMULA_LIKE.map((v) => [v]),
    );
    expect(cellsOf(csv).slice(1)).toEqual(FORMULA_LIKE.map((v) => [`'${v}`]));
  });

  it("leaves every other cell as it is, quoting only what CSV needs quoted", () => {
    const csv = writeCsv(
      ["value"],
      PLAIN.map((v) => [v]),
    );
    expect(cellsOf(csv).slice(1)).toEqual(PLAIN.map((v) => [v]));
    expect(csv.split("\r\n")).toEqual([
      "value",
      "plain",
      "a=b",
      "1-2",
      '"x\n=1"',
      "'quoted",
      "'=already marked",
      "",
      '"with, comma"',
      '"say ""hi"""',
    ]);
  });

  it("neutralises header cells too, and the reader restores them", async () => {
    const csv = writeCsv(['=HYPERLINK("x")', "ok"], [["1", "2"]]);
    expect(cellsOf(csv)[0]).toEqual(['\'=HYPERLINK("x")', "ok"]);
    const summary = await readCsv(new TextEncoder().encode(csv), () => undefined);
    expect(summary.rawHeaders).toEqual(['=HYPERLINK("x")', "ok"]);
  });

  it("writes rows in batches that join into the same file: the header, then CRLF before each row", () => {
    const rows = [...FORMULA_LIKE, ...PLAIN].map((v, i) => [String(i), v]);
    const whole = writeCsv(["n", "value"], rows);
    const batched = writeCsv(["n", "value"], []) + csvLines(rows.slice(0, 5)) + csvLines(rows.slice(5));
    expect(batched).toBe(whole);
  });
});

describe("an exported file read back", () => {
  it("gives every value the reader saw, formula-like or not, once the apostrophe the writer added is removed", async () => {
    const values = [...FORMULA_LIKE, ...PLAIN].filter((v) => v.trim() !== "");
    const schema = z.object({ value: textCell({ max: 1000 }) });
    const seen: string[] = [];
    await readCsv(
      new TextEncoder().encode(
        writeCsv(
          ["value"],
          values.map((v) => [v]),
        ),
      ),
      (rows) => {
        for (const row of rows) {
          const parsed = parseRow(schema, { value: row.cells[0] });
          seen.push(parsed.ok ? parsed.row.value : `invalid: ${JSON.stringify(parsed)}`);
        }
      },
    );
    // The reader trims cells, writes line breaks inside cells as "\n", and the schema trims values; and
    // "'=already marked" was an apostrophe-marked formula in the source, read as a spreadsheet shows it.
    const asRead = (v: string) => (v === "'=already marked" ? "=already marked" : v.trim().replace(/\r\n?/g, "\n"));
    expect(seen).toEqual(values.map(asRead));
  });
});
