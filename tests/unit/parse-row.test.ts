import { describe, expect, it } from "vitest";
import { z } from "zod";

import { integerCell, textCell } from "@/lib/bulk/cells";
import { parseRow, requiredColumns } from "@/lib/bulk/parse-row";
import { writeCsv } from "@/lib/bulk/write-csv";

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
});
