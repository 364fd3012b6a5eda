import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";

import {
  blankToUndefined,
  booleanCell,
  combineDateTime,
  dateCell,
  decimalCell,
  emailCell,
  integerCell,
  listCell,
  textCell,
  timeCell,
  urlCell,
} from "@/lib/bulk/csv/cells";

function accepts(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  expect(result.error?.issues).toBeUndefined();
  return result.data;
}

function rejects(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  expect(result.success).toBe(false);
  return result.error?.issues[0].message;
}

describe("dateCell", () => {
  it.each([
    ["2025-09-01", "2025-09-01"],
    ["09/01/2025", "2025-09-01"],
    ["9/1/2025", "2025-09-01"],
    ["02/29/2024", "2024-02-29"],
    ["1900-01-01", "1900-01-01"],
    ["2999-12-31", "2999-12-31"],
    [" 2025-01-31 ", "2025-01-31"],
  ])("reads %j as %j", (input, expected) => {
    expect(accepts(dateCell, input)).toBe(expected);
  });

  it.each([
    ["31/12/2025", "31/12/2025 is not a date (use YYYY-MM-DD or MM/DD/YYYY)"],
    ["2025-13-01", "2025-13-01 is not a date (use YYYY-MM-DD or MM/DD/YYYY)"],
    ["2025-1-5", "2025-1-5 is not a date (use YYYY-MM-DD or MM/DD/YYYY)"],
    ["2025-01-00", "2025-01-00 is not a date (use YYYY-MM-DD or MM/DD/YYYY)"],
    ["next monday", '"next monday" is not a date (use YYYY-MM-DD or MM/DD/YYYY)'],
    ["2025-09-01T10:00:00Z", "2025-09-01T10:00:00Z is not a date (use YYYY-MM-DD or MM/DD/YYYY)"],
    ["2025-02-30", "2025-02-30 is not a date: February 2025 has 28 days"],
    ["02/29/2023", "02/29/2023 is not a date: February 2023 has 28 days"],
    ["2025-04-31", "2025-04-31 is not a date: April 2025 has 30 days"],
    ["1899-12-31", "1899-12-31 is out of range (the year must be between 1900 and 2999)"],
    ["01/01/3000", "01/01/3000 is out of range (the year must be between 1900 and 2999)"],
  ])("rejects %j", (input, message) => {
    expect(rejects(dateCell, input)).toBe(message);
  });
});

describe("timeCell and combineDateTime", () => {
  it.each([
    ["14:30", "14:30:00"],
    ["9:05", "09:05:00"],
    ["23:59:59", "23:59:59"],
    ["00:00", "00:00:00"],
  ])("reads %j as %j", (input, expected) => {
    expect(accepts(timeCell, input)).toBe(expected);
  });

  it.each(["24:00", "12:60", "12:00:60", "2pm", "12", "12:5"])("rejects %j naming it", (input) => {
    expect(rejects(timeCell, input)).toBe(`${input} is not a time (use HH:MM or HH:MM:SS, 24-hour, UTC)`);
  });

  it("combines a date and a time as UTC, midnight by default", () => {
    expect(combineDateTime("2025-09-01", "14:30")?.toISOString()).toBe("2025-09-01T14:30:00.000Z");
    expect(combineDateTime("09/01/2025", "23:59:59")?.toISOString()).toBe("2025-09-01T23:59:59.000Z");
    expect(combineDateTime("2025-09-01", undefined)?.toISOString()).toBe("2025-09-01T00:00:00.000Z");
    expect(combineDateTime("2025-09-01", "")?.toISOString()).toBe("2025-09-01T00:00:00.000Z");
    expect(combineDateTime(undefined, "10:00")).toBeUndefined();
  });

  it("throws the user-facing message for an invalid part", () => {
    expect(() => combineDateTime("2025-09-01", "25:00")).toThrow(
      "25:00 is not a time (use HH:MM or HH:MM:SS, 24-hour, UTC)",
    );
    expect(() => combineDateTime("2025-02-30", "10:00")).toThrow("February 2025 has 28 days");
  });

  it("works on the outputs of dateCell and timeCell", () => {
    const row = z
      .object({ start_date: dateCell, start_time: timeCell.optional() })
      .transform((r) => combineDateTime(r.start_date, r.start_time));
    expect(row.parse({ start_date: "12/31/2025", start_time: "8:00" })?.toISOString()).toBe("2025-12-31T08:00:00.000Z");
  });
});

describe("booleanCell", () => {
  it.each([
    ["true", true],
    ["TRUE", true],
    ["Yes", true],
    ["y", true],
    ["1", true],
    ["false", false],
    ["False", false],
    ["NO", false],
    ["n", false],
    ["0", false],
  ])("reads %j as %j", (input, expected) => {
    expect(accepts(booleanCell, input)).toBe(expected);
  });

  it.each(["maybe", "2", "constructor", "oui"])("rejects %j naming it", (input) => {
    expect(rejects(booleanCell, input)).toBe(`${input} is not a yes/no value (use true/false, yes/no or 1/0)`);
  });
});

describe("listCell", () => {
  it("splits on commas, trims and drops empty items", () => {
    expect(accepts(listCell, "en-us, es-419 ,,fr-fr,")).toEqual(["en-us", "es-419", "fr-fr"]);
    expect(accepts(listCell, "single")).toEqual(["single"]);
  });

  it("rejects a cell with only separators", () => {
    expect(rejects(listCell, ", ,")).toBe('", ," has no values (separate values with commas)');
  });
});

describe("integerCell", () => {
  const effort = integerCell({ min: 1, max: 168 });

  it.each([
    ["1", 1],
    ["168", 168],
    ["+12", 12],
    ["8.0", 8],
    ["007", 7],
  ])("reads %j as %j", (input, expected) => {
    expect(accepts(effort, input)).toBe(expected);
  });

  it.each([
    ["0", "0 is out of range (it must be between 1 and 168)"],
    ["169", "169 is out of range (it must be between 1 and 168)"],
    ["8.5", "8.5 is not a whole number"],
    ["ten", "ten is not a whole number"],
    ["1e3", "1e3 is not a whole number"],
    ["1,000", "1,000 is not a whole number"],
  ])("rejects %j", (input, message) => {
    expect(rejects(effort, input)).toBe(message);
  });

  it("describes one-sided bounds and works without bounds", () => {
    expect(rejects(integerCell({ min: 0 }), "-1")).toBe("-1 is out of range (it must be at least 0)");
    expect(rejects(integerCell({ max: 52 }), "53")).toBe("53 is out of range (it must be at most 52)");
    expect(accepts(integerCell(), "-40")).toBe(-40);
    expect(rejects(integerCell(), "99999999999999999999")).toContain("is out of range");
  });
});

describe("decimalCell", () => {
  it.each([
    ["49", "49.00"],
    ["49.5", "49.50"],
    ["49.99", "49.99"],
    ["$49", "49.00"],
    ["$ 149.00", "149.00"],
    ["0", "0.00"],
    [".5", "0.50"],
    ["5.", "5.00"],
    ["0049.90", "49.90"],
    ["99999999.99", "99999999.99"],
  ])("reads %j as %j", (input, expected) => {
    expect(accepts(decimalCell, input)).toBe(expected);
  });

  it.each([
    ["1,000.50", "1,000.50 has a thousands separator; write it as 1000.50"],
    ["$1,000", "$1,000 has a thousands separator; write it as 1000"],
    ["49,99", "49,99 uses a decimal comma; write it as 49.99"],
    ["49.999", "49.999 has more than 2 decimals"],
    ["-5", "-5 is negative; the amount must be 0 or more"],
    ["$-5", "$-5 is negative; the amount must be 0 or more"],
    ["€49", "€49 is not an amount (use a number like 49 or 49.99)"],
    ["free", "free is not an amount (use a number like 49 or 49.99)"],
    [".", ". is not an amount (use a number like 49 or 49.99)"],
    ["100000000", "100000000 is too large (the maximum is 99999999.99)"],
  ])("rejects %j", (input, message) => {
    expect(rejects(decimalCell, input)).toBe(message);
  });
});

describe("urlCell and emailCell", () => {
  it("accepts http(s) addresses as given", () => {
    expect(accepts(urlCell, "https://example.com/image.png?x=1")).toBe("https://example.com/image.png?x=1");
    expect(accepts(urlCell, "HTTP://example.com")).toBe("HTTP://example.com");
  });

  it.each([
    "example.com/image.png",
    "ftp://example.com/file",
    "https://",
    "https://exa mple.com",
    "javascript:alert(1)",
  ])("rejects %j naming it", (input) => {
    expect(rejects(urlCell, input)).toMatch(/is not a web address \(it must start with http:\/\/ or https:\/\//);
    expect(rejects(urlCell, input)).toContain(input);
  });

  it("accepts and lowercases email addresses", () => {
    expect(accepts(emailCell, "Ada.Lovelace@Example.ORG")).toBe("ada.lovelace@example.org");
  });

  it.each(["ada", "ada@", "ada@example", "ada lovelace@example.org", "@example.org"])("rejects %j", (input) => {
    expect(rejects(emailCell, input)).toMatch(/is not an email address$/);
  });
});

describe("textCell", () => {
  const title = textCell({ max: 255 });

  it("accepts text up to the limit, unchanged", () => {
    const text = "É".repeat(255);
    expect(accepts(title, text)).toBe(text);
  });

  it("fails longer text with its length and the limit, never truncating", () => {
    const text = `Introduction to Programming ${"x".repeat(284)}`;
    expect(text).toHaveLength(312);
    expect(rejects(title, text)).toBe('"Introduction to Prog…" is 312 characters; the limit is 255');
  });

  it("counts characters, not UTF-16 units", () => {
    expect(accepts(textCell({ max: 3 }), "🎓🎓🎓")).toBe("🎓🎓🎓");
    expect(rejects(textCell({ max: 2 }), "🎓🎓🎓")).toBe('"🎓🎓🎓" is 3 characters; the limit is 2');
  });
});

describe("blank and absent values", () => {
  const cells = [
    dateCell,
    timeCell,
    booleanCell,
    listCell,
    integerCell(),
    decimalCell,
    urlCell,
    emailCell,
    textCell({ max: 5 }),
  ];

  it.each([undefined, "", "   "])("every cell requires a value: %j", (input) => {
    for (const cell of cells) {
      expect(rejects(cell, input)).toBe("A value is required");
    }
  });

  it("every cell accepts an absent value once made optional", () => {
    for (const cell of cells) {
      expect(cell.optional().safeParse(undefined)).toEqual({ success: true, data: undefined });
    }
  });

  it("rejects non-text input", () => {
    expect(rejects(dateCell, 20250901)).toBe("Expected text");
    expect(rejects(booleanCell, null)).toBe("Expected text");
  });

  it("outputs typed values", () => {
    expectTypeOf<z.infer<typeof booleanCell>>().toEqualTypeOf<boolean>();
    expectTypeOf<z.infer<typeof listCell>>().toEqualTypeOf<string[]>();
    expectTypeOf<z.infer<ReturnType<typeof integerCell>>>().toEqualTypeOf<number>();
    expectTypeOf<z.infer<typeof dateCell>>().toEqualTypeOf<string>();
  });

  it("blankToUndefined turns blank cells into absent values", () => {
    expect(blankToUndefined("")).toBeUndefined();
    expect(blankToUndefined(" \t")).toBeUndefined();
    expect(blankToUndefined(" x ")).toBe(" x ");
    expect(blankToUndefined(undefined)).toBeUndefined();
    expect(blankToUndefined(3)).toBe(3);
  });

  it("composes into a row schema with required and optional columns", () => {
    const row = z.object({
      title: textCell({ max: 255 }),
      start_date: dateCell,
      verified_price: decimalCell.optional(),
      move_to_legal_review: z.preprocess(blankToUndefined, booleanCell.optional()),
    });
    expectTypeOf<z.infer<typeof row>>().toEqualTypeOf<{
      title: string;
      start_date: string;
      verified_price?: string | undefined;
      move_to_legal_review?: boolean | undefined;
    }>();
    expect(row.parse({ title: "Économie", start_date: "9/1/2025", move_to_legal_review: "" })).toEqual({
      title: "Économie",
      start_date: "2025-09-01",
    });
    const result = row.safeParse({ start_date: "31/12/2025", verified_price: "1,000" });
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["title", "A value is required"],
      ["start_date", "31/12/2025 is not a date (use YYYY-MM-DD or MM/DD/YYYY)"],
      ["verified_price", "1,000 has a thousands separator; write it as 1000"],
    ]);
  });
});
