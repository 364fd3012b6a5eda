import { z } from "zod";

import {
  booleanCell,
  combineDateTime,
  dateCell,
  decimalCell,
  emailCell,
  integerCell,
  listCell,
  show,
  textCell,
  timeCell,
  urlCell,
} from "@/lib/bulk/csv/cells";

/**
 * Column schemas shared by the operations, named as the upstream Open edX bulk-operation CSVs name
 * them. `example` feeds each operation's downloadable template.
 */
const example = (value: string) => ({ example: value });

const RICH_TEXT_MAX = 100_000;
const richText = (sample: string) => textCell({ max: RICH_TEXT_MAX }).optional().meta(example(sample));

export const pacingCell = z.string().transform((raw, ctx) => {
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  const pacing =
    value === "instructor_paced" || value === "instructor"
      ? "instructor_paced"
      : value === "self_paced" || value === "self"
        ? "self_paced"
        : null;
  if (!pacing) {
    ctx.addIssue({
      code: "custom",
      message: `${show(raw.trim())} is not a pacing (use instructor_paced or self_paced)`,
    });
    return z.NEVER;
  }
  return pacing;
});

// Course and run keys are built from these parts and indexed; upstream caps each key at 255 characters.
const KEY_PART_MAX = 255;

/** Letters, digits, `.`, `_`, `-`, as course numbers and organization keys are; at most 255 of them. */
export const keyPart = (what: string) =>
  z.string().transform((raw, ctx) => {
    const value = raw.trim();
    if (!/^[A-Za-z0-9._-]+$/.test(value)) {
      ctx.addIssue({
        code: "custom",
        message: `${show(value)} is not a valid ${what} (letters, digits, ".", "_" and "-" only)`,
      });
      return z.NEVER;
    }
    if (value.length > KEY_PART_MAX) {
      ctx.addIssue({
        code: "custom",
        message: `${show(value)} is ${value.length} characters; the limit is ${KEY_PART_MAX}`,
      });
      return z.NEVER;
    }
    return value;
  });

const urlSlugCell = z.string().transform((raw, ctx) => {
  const value = raw.trim();
  if (!/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/.test(value)) {
    ctx.addIssue({
      code: "custom",
      message: `${show(value)} is not a URL slug (lowercase letters, digits and hyphens)`,
    });
    return z.NEVER;
  }
  if (value.length > 255) {
    ctx.addIssue({ code: "custom", message: `${show(value)} is ${value.length} characters; the limit is 255` });
    return z.NEVER;
  }
  return value;
});

/** Comma-separated email addresses, each checked like an `emailCell`. */
function emailListCell() {
  return listCell.transform((items, ctx) => {
    const emails: string[] = [];
    for (const item of items) {
      const parsed = emailCell.safeParse(item);
      if (!parsed.success) {
        ctx.addIssue({ code: "custom", message: parsed.error.issues[0].message });
        return z.NEVER;
      }
      emails.push(parsed.data);
    }
    return emails;
  });
}

const effort = integerCell({ min: 0, max: 168 });
const weeks = integerCell({ min: 1, max: 520 });

export const courseColumns = {
  title: textCell({ max: 255 }).meta(example("Introduction to Data Science")),
  image: urlCell.optional().meta(example("https://example.com/images/intro-data-science.jpg")),
  short_description: richText("<p>Learn the basics of data science.</p>"),
  long_description: richText("<p>A hands-on introduction to data analysis with Python.</p>"),
  what_will_you_learn: richText("<ul><li>Cleaning data</li><li>Visualisation</li></ul>"),
  syllabus: richText("<p>Week 1: Python. Week 2: pandas.</p>"),
  prerequisites: richText("<p>High-school algebra.</p>"),
  frequently_asked_questions: richText("<p><strong>Is it free?</strong> Auditing is free.</p>"),
  learner_testimonials: richText(""),
  additional_information: richText(""),
  about_video_link: urlCell.optional().meta(example("https://www.youtube.com/watch?v=example")),
  level_type: textCell({ max: 255 }).optional().meta(example("Introductory")),
  primary_subject: textCell({ max: 255 }).optional().meta(example("Computer Science")),
  secondary_subject: textCell({ max: 255 }).optional().meta(example("Data Analysis & Statistics")),
  tertiary_subject: textCell({ max: 255 }).optional().meta(example("")),
  collaborators: listCell.optional().meta(example("")),
  topics: listCell.optional().meta(example("python, statistics")),
  watchers: emailListCell().optional().meta(example("watcher@example.com")),
  url_slug: urlSlugCell.optional().meta(example("")),
  enterprise_subscription_inclusion: booleanCell.optional().meta(example("false")),
};

/** Run columns; all optional here (an update leaves blank cells alone), creation makes the dates required. */
export const runColumns = {
  start_date: dateCell.optional().meta(example("2026-09-01")),
  start_time: timeCell.optional().meta(example("00:00")),
  end_date: dateCell.optional().meta(example("2026-12-15")),
  end_time: timeCell.optional().meta(example("23:59")),
  enrollment_start_date: dateCell.optional().meta(example("")),
  enrollment_start_time: timeCell.optional().meta(example("")),
  enrollment_end_date: dateCell.optional().meta(example("")),
  enrollment_end_time: timeCell.optional().meta(example("")),
  upgrade_deadline_override_date: dateCell.optional().meta(example("")),
  upgrade_deadline_override_time: timeCell.optional().meta(example("")),
  publish_date: dateCell.optional().meta(example("2026-08-01")),
  minimum_effort: effort.optional().meta(example("4")),
  maximum_effort: effort.optional().meta(example("6")),
  length: weeks.optional().meta(example("12")),
  content_language: textCell({ max: 255 }).optional().meta(example("en-us")),
  transcript_languages: listCell.optional().meta(example("en-us, es-419")),
  expected_program_type: textCell({ max: 255 }).optional().meta(example("")),
  expected_program_name: textCell({ max: 255 }).optional().meta(example("")),
  verified_price: decimalCell.optional().meta(example("99.00")),
  move_to_legal_review: booleanCell.optional().meta(example("false")),
};

/** Dates of a row as instants; each pair is checked in order (end after start, …). */
export function runInstants(row: {
  start_date?: string;
  start_time?: string;
  end_date?: string;
  end_time?: string;
  enrollment_start_date?: string;
  enrollment_start_time?: string;
  enrollment_end_date?: string;
  enrollment_end_time?: string;
  upgrade_deadline_override_date?: string;
  upgrade_deadline_override_time?: string;
  publish_date?: string;
}) {
  return {
    start: combineDateTime(row.start_date, row.start_time),
    end: combineDateTime(row.end_date, row.end_time),
    enrollmentStart: combineDateTime(row.enrollment_start_date, row.enrollment_start_time),
    enrollmentEnd: combineDateTime(row.enrollment_end_date, row.enrollment_end_time),
    upgradeDeadlineOverride: combineDateTime(row.upgrade_deadline_override_date, row.upgrade_deadline_override_time),
    goLiveDate: combineDateTime(row.publish_date, undefined),
  };
}

/** Cross-column rules every run row obeys, reported on the column to fix. */
export function checkRunConsistency(
  row: Parameters<typeof runInstants>[0] & { minimum_effort?: number; maximum_effort?: number },
  ctx: z.RefinementCtx,
) {
  const at = runInstants(row);
  if (at.start && at.end && at.start >= at.end) {
    ctx.addIssue({
      code: "custom",
      path: ["end_date"],
      message: `end ${row.end_date} is not after start ${row.start_date}`,
    });
  }
  if (at.enrollmentStart && at.enrollmentEnd && at.enrollmentStart >= at.enrollmentEnd) {
    ctx.addIssue({
      code: "custom",
      path: ["enrollment_end_date"],
      message: `enrollment end ${row.enrollment_end_date} is not after enrollment start ${row.enrollment_start_date}`,
    });
  }
  if (at.enrollmentStart && at.end && at.enrollmentStart > at.end) {
    ctx.addIssue({
      code: "custom",
      path: ["enrollment_start_date"],
      message: `enrollment start ${row.enrollment_start_date} is after the run ends (${row.end_date})`,
    });
  }
  if (row.minimum_effort !== undefined && row.maximum_effort !== undefined && row.minimum_effort > row.maximum_effort) {
    ctx.addIssue({
      code: "custom",
      path: ["maximum_effort"],
      message: `maximum effort ${row.maximum_effort} is less than minimum effort ${row.minimum_effort}`,
    });
  }
}
