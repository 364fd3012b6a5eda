import { z } from "zod";

// Building blocks for operation row schemas. Each takes a cell's text, rejects a blank or absent
// value ("A value is required"), and names the bad value in its message; the caller prefixes the
// row and column. Optional columns use `.optional()`, which accepts only `undefined`: pass blank
// cells as undefined (see `blankToUndefined`).

const REQUIRED = "A value is required";

/** Why a cell is invalid; a class so that a parser can return it in place of a value. */
class Invalid {
  constructor(readonly message: string) {}
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const AMOUNT = /^\$?\s*(\d*)(?:\.(\d*))?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const BOOLEANS = new Map([
  ["true", true],
  ["yes", true],
  ["y", true],
  ["1", true],
  ["false", false],
  ["no", false],
  ["n", false],
  ["0", false],
]);

/** A blank or whitespace-only cell means "not provided". */
export function blankToUndefined(value: unknown): unknown {
  return typeof value === "string" && value.trim() === "" ? undefined : value;
}

/** `YYYY-MM-DD` or `MM/DD/YYYY`, years 1900–2999, normalized to `YYYY-MM-DD`. */
export const dateCell = cell(parseDate);

/** `HH:MM` or `HH:MM:SS`, 24-hour UTC, normalized to `HH:MM:SS`. */
export const timeCell = cell(parseTime);

/** true/false, yes/no, y/n, 1/0 in any case. */
export const booleanCell = cell((value) => {
  const answer = BOOLEANS.get(value) ?? BOOLEANS.get(value.toLowerCase());
  return answer ?? new Invalid(`${show(value)} is not a yes/no value (use true/false, yes/no or 1/0)`);
});

/** Comma-separated values inside one cell, trimmed, empties dropped. */
export const listCell = cell((value) => {
  const items: string[] = [];
  for (const part of value.split(",")) {
    const item = part.trim();
    if (item !== "") {
      items.push(item);
    }
  }
  return items.length > 0 ? items : new Invalid(`${show(value)} has no values (separate values with commas)`);
});

/** A non-negative amount with at most 2 decimals and an optional leading `$`, as a string like "49.00". */
export const decimalCell = cell((value) => {
  const match = AMOUNT.exec(value);
  if (!match || (match[1] === "" && !match[2])) {
    return new Invalid(explainAmount(value));
  }
  const [, units, cents = ""] = match;
  if (cents.length > 2) {
    return new Invalid(`${show(value)} has more than 2 decimals`);
  }
  let zeros = 0;
  while (zeros < units.length - 1 && units[zeros] === "0") {
    zeros++;
  }
  const whole = units.slice(zeros) || "0";
  // The database column is DECIMAL(10, 2).
  if (whole.length > 8) {
    return new Invalid(`${show(value)} is too large (the maximum is 99999999.99)`);
  }
  return `${whole}.${cents.padEnd(2, "0")}`;
});

/** An absolute http(s) address. */
export const urlCell = cell((value) => {
  if (/^https?:\/\/[^\s]+$/i.test(value) && URL.canParse(value)) {
    return value;
  }
  return new Invalid(`${show(value)} is not a web address (it must start with http:// or https:// and have no spaces)`);
});

/** An email address, lowercased so that it matches however it was typed. */
export const emailCell = cell((value) =>
  /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)
    ? value.toLowerCase()
    : new Invalid(`${show(value)} is not an email address`),
);

/** A whole number, optionally bounded; "8.0" (a spreadsheet's float) counts as 8. */
export function integerCell({ min, max }: { min?: number; max?: number } = {}) {
  return cell((value) => {
    if (!/^[+-]?\d+(\.0+)?$/.test(value)) {
      return new Invalid(`${show(value)} is not a whole number`);
    }
    const number = Number.parseInt(value, 10);
    if (!Number.isSafeInteger(number) || (min !== undefined && number < min) || (max !== undefined && number > max)) {
      return new Invalid(`${show(value)} is out of range (${describeRange(min, max)})`);
    }
    return number;
  });
}

/** Text of at most `max` characters; longer text fails, it is never truncated. */
export function textCell({ max }: { max: number }) {
  return cell((value) => {
    // Count code points, as PostgreSQL does, only when UTF-16 length says it may matter.
    const length = value.length > max ? [...value].length : value.length;
    if (length > max) {
      const start = [...value].slice(0, 20).join("");
      return new Invalid(
        `"${start}${start.length < value.length ? "…" : ""}" is ${length} characters; the limit is ${max}`,
      );
    }
    return value;
  });
}

/**
 * A date cell and an optional time cell as one UTC instant (time defaults to 00:00:00).
 * Expects values checked by `dateCell`/`timeCell`; throws with the user-facing message otherwise.
 */
export function combineDateTime(date: string | undefined, time: string | undefined): Date | undefined {
  if (date === undefined) {
    return undefined;
  }
  const day = parseDate(date.trim());
  if (day instanceof Invalid) {
    throw new RangeError(day.message);
  }
  const clock = time?.trim() ? parseTime(time.trim()) : "00:00:00";
  if (clock instanceof Invalid) {
    throw new RangeError(clock.message);
  }
  // Digits of the canonical forms rather than an ISO string to parse: this runs for every date
  // column of every row.
  return new Date(
    Date.UTC(
      digits(day, 0, 4),
      digits(day, 5, 7) - 1,
      digits(day, 8, 10),
      digits(clock, 0, 2),
      digits(clock, 3, 5),
      digits(clock, 6, 8),
    ),
  );
}

// A bare transform rather than a string schema piped into one: a single schema per cell, which
// matters when validation runs on every cell of 100,000-row files.
function cell<T>(parse: (value: string) => T | Invalid) {
  return z.transform((input: unknown, ctx) => {
    const value = typeof input === "string" ? input.trim() : input;
    const result =
      value === undefined || value === ""
        ? new Invalid(REQUIRED)
        : typeof value === "string"
          ? parse(value)
          : new Invalid("Expected text");
    if (result instanceof Invalid) {
      ctx.addIssue({ code: "custom", message: result.message, input });
      return z.NEVER;
    }
    return result;
  });
}

function parseDate(value: string): string | Invalid {
  const iso = ISO_DATE.exec(value);
  const us = iso ? null : US_DATE.exec(value);
  const year = Number(iso ? iso[1] : us?.[3]);
  const month = Number(iso ? iso[2] : us?.[1]);
  const day = Number(iso ? iso[3] : us?.[2]);
  // NaN (no match) fails these comparisons too.
  if (!(month >= 1 && month <= 12 && day >= 1)) {
    return new Invalid(`${show(value)} is not a date (use YYYY-MM-DD or MM/DD/YYYY)`);
  }
  if (year < 1900 || year > 2999) {
    return new Invalid(`${show(value)} is out of range (the year must be between 1900 and 2999)`);
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (day > daysInMonth) {
    const monthName = new Date(Date.UTC(year, month - 1)).toLocaleString("en-US", { month: "long", timeZone: "UTC" });
    return new Invalid(`${show(value)} is not a date: ${monthName} ${year} has ${daysInMonth} days`);
  }
  return iso ? value : `${year}-${pad(month)}-${pad(day)}`;
}

function parseTime(value: string): string | Invalid {
  const match = TIME.exec(value);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  const seconds = Number(match?.[3] ?? 0);
  if (!match || hours > 23 || minutes > 59 || seconds > 59) {
    return new Invalid(`${show(value)} is not a time (use HH:MM or HH:MM:SS, 24-hour, UTC)`);
  }
  return value.length === 8 ? value : `${pad(hours)}:${match[2]}:${match[3] ?? "00"}`;
}

/** Why a text is not an amount, naming the usual spreadsheet habits. */
function explainAmount(value: string): string {
  const amount = value.replace(/^\$\s*/, "");
  if (/^-\s*\$?\s*\d/.test(amount)) {
    return `${show(value)} is negative; the amount must be 0 or more`;
  }
  if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(amount)) {
    return `${show(value)} has a thousands separator; write it as ${amount.replaceAll(",", "")}`;
  }
  if (/^\d+,\d{1,2}$/.test(amount)) {
    return `${show(value)} uses a decimal comma; write it as ${amount.replace(",", ".")}`;
  }
  return `${show(value)} is not an amount (use a number like 49 or 49.99)`;
}

function describeRange(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) {
    return `it must be between ${min} and ${max}`;
  }
  return min !== undefined ? `it must be at least ${min}` : `it must be at most ${max}`;
}

function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    value = value * 10 + text.charCodeAt(i) - 48;
  }
  return value;
}

function pad(number: number): string {
  return String(number).padStart(2, "0");
}

/** The value as it appears in a message: quoted when it has spaces, shortened when long. */
export function show(value: string): string {
  const short = value.length > 40 ? `${value.slice(0, 37)}…` : value;
  return /\s/.test(short) ? `"${short}"` : short;
}
