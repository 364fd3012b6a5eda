import { describe, expect, it } from "vitest";
import { z } from "zod";

import { dateCell, integerCell, listCell, textCell } from "@/lib/bulk/csv/cells";
import { parseRow, requiredColumns } from "@/lib/bulk/csv/parse-row";
import { writeCsv } from "@/lib/bulk/csv/write-csv";

const schema = z.object({ title: textCell({ max: 20 }), length: integerCell({ min: 1 }).optional() });

describe("parseRow", () => {
  it("treats blank cells as absent: a required one is MISSING_REQUIRED_DATA, an optional one undefined", () => {
    expect(parseRow(schema, { title: "  ", length: "" })).toEqual({
      ok: false,
      code: "MISSING_REQUIRED_DATA",
      column: "title",
      message: "title is required",
    });
    expect(parseRow(schema, { title: "Intro", length: " " })).toEqual({ ok: true, row: { title: "Intro" } });
  });

  it("names the column and the bad value", () => {
    expect(parseRow(schema, { title: "Intro", length: "eight" })).toMatchObject({
      ok: false,
      code: "INVALID_VALUE",
      column: "length",
      message: expect.stringContaining("eight"),
    });
  });

  it("reads back formula-like cells that writeCsv neutralised", () => {
    const exported = writeCsv(["title"], [["=SUM(A1)"], ["-5 tips"], ["@home"]]);
    expect(exported.split("\r\n").slice(1)).toEqual(['"\'=SUM(A1)"', '"\'-5 tips"', '"\'@home"']);
    expect(parseRow(schema, { title: "'=SUM(A1)" })).toEqual({ ok: true, row: { title: "=SUM(A1)" } });
    expect(parseRow(schema, { title: "'quoted" })).toEqual({ ok: true, row: { title: "'quoted" } });
  });

  it("derives required columns from the schema", () => {
    expect(requiredColumns(schema)).toEqual(["title"]);
  });

  it("gives what the schema itself gives, row after row, with cells remembered between rows", () => {
    const rowSchema = z
      .object({
        title: textCell({ max: 20 }),
        start: dateCell,
        end: dateCell.optional(),
        topics: listCell.optional(),
        weeks: integerCell({ min: 1 }).optional(),
      })
      .superRefine((row, ctx) => {
        if (row.end !== undefined && row.end <= row.start) {
          ctx.addIssue({ code: "custom", path: ["end"], message: "end is not after start" });
        }
      });
    const rows: Record<string, string>[] = [
      { title: "A", start: "2026-01-01", end: "2026-02-01", topics: "x, y", weeks: "4" },
      { title: "B", start: "2026-01-01", end: "2026-02-01", topics: "x, y", weeks: "4" },
      { title: "C", start: "2026-02-01", end: "2026-01-01" },
      { title: "D", start: "01/02/2026", weeks: "0" },
      { title: "E", start: "2026-13-01" },
      { start: "2026-01-01" },
      { title: "F", start: "2026-01-01", end: "", weeks: " 8 " },
    ];
    const bySchema = (cells: Record<string, string>) => {
      const input = Object.fromEntries(
        Object.entries(cells)
          .filter(([, v]) => v.trim() !== "")
          .map(([k, v]) => [k, v.trim()]),
      );
      const parsed = rowSchema.safeParse(input);
      return parsed.success ? parsed.data : parsed.error.issues[0].path[0];
    };
    for (const cells of [...rows, ...rows]) {
      const result = parseRow(rowSchema, cells);
      expect(result.ok ? result.row : result.column).toEqual(bySchema(cells));
    }
    // A list is each row's own: changing one row's never shows in another's.
    const [first, second] = [parseRow(rowSchema, rows[0]), parseRow(rowSchema, rows[1])];
    expect(first.ok && second.ok && first.row.topics !== second.row.topics).toBe(true);
  });
});
