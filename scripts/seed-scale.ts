// `npm run seed:scale -- [--courses=100000] [--rows=1000000] [--database-url=postgresql://localhost/...] [--reset]`
//
// A catalog at partner scale on top of the migrated and seeded database: courses of the demo organizations
// with 1–3 runs and their seats, users with memberships, and bulk operations of every type and status whose
// row results total --rows, targeting one or two organizations (so members see some and not others). Written
// by set-based SQL (`INSERT … SELECT … FROM generate_series`) in about a minute for the defaults; `npm run
// bench -- --reads` measures the read endpoints on it. The database is --database-url, else DATABASE_URL,
// else the local `bulkops_scale`; it must be on this machine. --reset drops and recreates it first.
import path from "node:path";
import { fileURLToPath } from "node:url";

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { PrismaClient } from "../lib/generated/prisma/client";
import { seedDatabase } from "../prisma/seed-data";
import { migrate } from "./bench/database";
import { assertLocalDatabaseUrl, resetDatabase } from "./reset-database";

const root = fileURLToPath(new URL("..", import.meta.url));

const USAGE =
  "usage: npm run seed:scale -- [--courses=N] [--rows=N] [--database-url=postgresql://localhost/...] [--reset]";

/** Where the scale data set goes unless told otherwise; `npm run bench -- --reads` reads it there too. */
export const DEFAULT_SCALE_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/bulkops_scale";

interface Options {
  courses: number;
  rows: number;
  databaseUrl: string;
  reset: boolean;
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
  const known = ["courses", "rows", "database-url", "reset", "help"];
  const unknown = [...values.keys()].filter((k) => !known.includes(k));
  if (unknown.length > 0 || values.has("help")) {
    throw new Error(unknown.length ? `Unknown option --${unknown[0]}\n${USAGE}` : USAGE);
  }
  const count = (name: string, fallback: number, min: number) => {
    const value = Number(values.get(name) ?? fallback);
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`--${name} must be a whole number of at least ${min}`);
    }
    return value;
  };
  return {
    courses: count("courses", 100_000, 100),
    rows: count("rows", 1_000_000, 1_000),
    databaseUrl: values.get("database-url") ?? process.env.DATABASE_URL ?? DEFAULT_SCALE_DATABASE_URL,
    reset: values.has("reset"),
  };
}

function log(message: string) {
  console.error(`[seed:scale] ${message}`);
}

/** Creates the database when it does not exist yet (a reset always recreates it). */
async function ensureDatabase(url: string) {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: string }).code === "3D000") {
      await resetDatabase(url);
      return;
    }
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A SQL array literal of text values (the values below are constants of this script). */
const textArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}]`;

// Words the data is made of (partners search titles for the topics).
// prettier-ignore
const FIRST_NAMES = [
  "Ada", "Alan", "Amara", "Ana", "Ben", "Carmen", "Chen", "Dana", "David", "Elena", "Emeka", "Fatima", "Grace",
  "Hiro", "Ines", "Ivan", "Jamal", "Julia", "Kofi", "Lena", "Luis", "Maya", "Mohammed", "Nadia", "Noah", "Olga",
  "Omar", "Priya", "Rafael", "Rosa", "Sam", "Sara", "Tariq", "Uma", "Victor", "Wei", "Yara", "Yusuf", "Zoe", "Zhang",
];
// prettier-ignore
const LAST_NAMES = [
  "Abbott", "Adeyemi", "Alvarez", "Bianchi", "Brown", "Castillo", "Chen", "Cohen", "Dubois", "Eriksen", "Fischer",
  "Garcia", "Gupta", "Haddad", "Hansen", "Ito", "Jensen", "Kim", "Kowalski", "Kumar", "Lee", "Lopez", "Martin",
  "Mensah", "Moreau", "Mueller", "Nakamura", "Novak", "Okafor", "Olsen", "Park", "Patel", "Petrov", "Quinn", "Rossi",
  "Santos", "Schmidt", "Silva", "Singh", "Smith", "Tanaka", "Taylor", "Tran", "Urban", "Varga", "Wang", "Weber",
  "Wilson", "Yilmaz", "Zhou",
];
// prettier-ignore
const SUBJECT_CODES = [
  "CS", "DS", "MATH", "PHYS", "BIO", "CHEM", "ECON", "FIN", "HIST", "PHIL", "ENGR", "MKT", "MGMT", "STAT", "AI",
  "LAW", "MED", "ARCH", "MUS", "LANG",
];
// prettier-ignore
const TITLE_PREFIXES = [
  "", "Introduction to ", "Principles of ", "Advanced ", "Foundations of ", "Applied ", "Essentials of ",
  "Topics in ", "Fundamentals of ", "Modern ",
];
// prettier-ignore
const TITLE_TOPICS = [
  "Data Science", "Machine Learning", "Python Programming", "Computer Science", "Linear Algebra", "Calculus",
  "Probability", "Statistics", "Financial Accounting", "Corporate Finance", "Microeconomics", "Macroeconomics",
  "Project Management", "Leadership", "Marketing", "Supply Chain Management", "World History", "American History",
  "Philosophy", "Ethics", "Molecular Biology", "Genetics", "Neuroscience", "Organic Chemistry", "Quantum Mechanics",
  "Classical Mechanics", "Electricity and Magnetism", "Astrophysics", "Climate Science", "Public Health",
  "Epidemiology", "Nutrition", "Cybersecurity", "Cloud Computing", "Databases", "Algorithms", "Web Development",
  "Artificial Intelligence", "Robotics", "Signal Processing", "Circuits and Electronics", "Architecture",
  "Urban Planning", "Music Theory", "Creative Writing", "English Grammar", "Spanish Language", "Chinese Language",
  "Negotiation", "Entrepreneurship", "Blockchain", "Data Visualization", "Deep Learning",
  "Natural Language Processing", "Computer Vision", "Game Design", "Psychology", "Sociology", "Human Rights",
  "International Law",
];
// prettier-ignore
const TITLE_SUFFIXES = [
  "", " I", " II", " III", ": A Practical Approach", " for Beginners", " with Python", " with R", " in Practice",
  ": Theory and Applications",
];
// prettier-ignore
const TERMS = ["1T2024", "2T2024", "3T2024", "1T2025", "2T2025", "3T2025", "1T2026", "2T2026", "3T2026", "1T2027", "2T2027", "3T2027"];
const LANGUAGES = ["en-us", "en-us", "en-us", "es-419", "fr-fr", "zh-cn", "pt-br", "ar"];

/** CSV columns of each operation type's files (a subset of the templates' columns: what the rows carry). */
const COLUMNS: Record<string, string[]> = {
  course_create: [
    "organization",
    "number",
    "title",
    "course_enrollment_track",
    "course_pacing",
    "start_date",
    "end_date",
  ],
  course_update: ["course_key", "title", "short_description", "level_type"],
  course_run_update: ["course_run_key", "end_date", "minimum_effort", "maximum_effort"],
  course_rerun: ["last_active_run_key", "start_date", "end_date", "run_type", "pacing_type"],
  course_editor_update: ["username_or_email", "course_key_or_uuid", "action"],
};

/** Shares of all rows of the ten large operations: the first is the per-file maximum at a million rows. */
const LARGE_SHARES = [0.2, 0.15, 0.12, 0.1, 0.08, 0.07, 0.06, 0.05, 0.04, 0.03];

/**
 * The ten large operations (9/10 of the rows between them): every status the screens distinguish, for
 * each kind of target. The many small ones after them cycle through the types and a realistic status mix.
 */
const LARGE_OPERATIONS: [type: string, status: string, mode: string][] = [
  ["course_create", "partially_completed", "apply"],
  ["course_update", "completed", "apply"],
  ["course_run_update", "awaiting_confirmation", "preview"],
  ["course_update", "partially_completed", "preview"],
  ["course_create", "failed", "apply"],
  ["course_rerun", "completed", "apply"],
  ["course_editor_update", "partially_completed", "apply"],
  ["course_update", "cancelled", "apply"],
  ["course_run_update", "processing", "apply"],
  ["course_create", "completed", "apply"],
];

function statements({ courses, rows }: Options): [label: string, sql: string][] {
  const users = Math.max(30, Math.round(courses / 10));
  const operations = Math.max(LARGE_OPERATIONS.length * 2, Math.round(rows / 300));
  const large = LARGE_OPERATIONS.length;
  return [
    [
      "organizations",
      `CREATE TEMP TABLE scale_org AS
       SELECT (array_position(ARRAY['edX','MITx','HarvardX'], key) - 1) AS pos, id, key, name
       FROM "Organization" WHERE key IN ('edX','MITx','HarvardX')`,
    ],
    // Users: one in 50 is staff; the others are members of one organization (one in 20 of two).
    [
      `${users.toLocaleString("en-US")} users`,
      `CREATE TEMP TABLE scale_user AS
       SELECT i, gen_random_uuid()::text AS id, i % 3 AS org, i % 50 = 0 AS staff,
         (${textArray(FIRST_NAMES)})[1 + i % ${FIRST_NAMES.length}] AS first,
         (${textArray(LAST_NAMES)})[1 + (i / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}] AS last
       FROM generate_series(1, ${users}) i;
       INSERT INTO "User" (id, email, username, name, "isStaff", "createdAt", "updatedAt")
       SELECT id, lower(first || '.' || last || i) || '@' || (ARRAY['edx.example','mit.example','harvard.example'])[org + 1],
         lower(left(first, 1) || last || i), first || ' ' || last, staff,
         now() - (i % 1500) * interval '1 day', now() - (i % 300) * interval '1 day'
       FROM scale_user;
       INSERT INTO "Membership" (id, "userId", "organizationId", role)
       SELECT gen_random_uuid()::text, u.id, o.id, (CASE WHEN u.i % 4 = 0 THEN 'coordinator' ELSE 'author' END)::"MembershipRole"
       FROM scale_user u JOIN scale_org o ON o.pos = u.org OR (u.i % 20 = 7 AND o.pos = (u.org + 1) % 3)
       WHERE NOT u.staff;
       CREATE TEMP TABLE scale_member AS
       SELECT row_number() OVER (PARTITION BY org ORDER BY i) AS k, id, org FROM scale_user WHERE NOT staff;
       ALTER TABLE scale_org ADD COLUMN members int;
       UPDATE scale_org o SET members = (SELECT count(*) FROM scale_member m WHERE m.org = o.pos)`,
    ],
    // Courses: edX 40 %, MITx 35 %, HarvardX 25 %; one in 20 co-authored by a second organization.
    [
      `${courses.toLocaleString("en-US")} courses`,
      `CREATE TEMP TABLE scale_course AS
       SELECT i, gen_random_uuid()::text AS id,
         CASE WHEN i % 20 < 8 THEN 0 WHEN i % 20 < 15 THEN 1 ELSE 2 END AS org,
         (${textArray(SUBJECT_CODES)})[1 + i % ${SUBJECT_CODES.length}] || (1000 + i) || 'x' AS number,
         left((${textArray(TITLE_PREFIXES)})[1 + (i * 7) % ${TITLE_PREFIXES.length}]
           || (${textArray(TITLE_TOPICS)})[1 + (i * 13 + i / 97) % ${TITLE_TOPICS.length}]
           || (${textArray(TITLE_SUFFIXES)})[1 + (i / 11) % ${TITLE_SUFFIXES.length}], 255) AS title,
         (ARRAY['verified-audit','verified-audit','audit','professional','credit'])[1 + (i / 3) % 5] AS course_type,
         1 + i % 3 AS runs
       FROM generate_series(1, ${courses}) i;
       ALTER TABLE scale_course ADD COLUMN key text;
       UPDATE scale_course c SET key = o.key || '+' || c.number FROM scale_org o WHERE o.pos = c.org;
       CREATE TEMP TABLE scale_org_course AS
       SELECT row_number() OVER (PARTITION BY org ORDER BY i) AS k, i, org FROM scale_course;
       ALTER TABLE scale_org ADD COLUMN courses int;
       UPDATE scale_org o SET courses = (SELECT count(*) FROM scale_course c WHERE c.org = o.pos);
       INSERT INTO "Course" (id, key, title, "urlSlug", "shortDescription", "fullDescription", "courseTypeId",
         "levelTypeId", "primarySubjectId", collaborators, topics, watchers, "createdAt", "updatedAt")
       SELECT c.id, c.key, c.title, lower(regexp_replace(c.key, '[^A-Za-z0-9]+', '-', 'g')),
         '<p>' || c.title || ', an online course from ' || o.name || '.</p>',
         '<p>' || c.title || ' covers the core ideas of the field through lectures, exercises and a final project. '
           || 'Learners practise on real data and receive feedback from the course team.</p>',
         ct.id, (SELECT array_agg(id ORDER BY name) FROM "LevelType")[1 + c.i % 3],
         (SELECT array_agg(id ORDER BY slug) FROM "Subject")[1 + c.i % 12], '{}', '{}', '{}',
         now() - (c.i % 1800) * interval '1 day', now() - (c.i % 400) * interval '1 day'
       FROM scale_course c JOIN scale_org o ON o.pos = c.org JOIN "CourseType" ct ON ct.slug = c.course_type;
       INSERT INTO "CourseOrganization" ("courseId", "organizationId")
       SELECT c.id, o.id FROM scale_course c JOIN scale_org o ON o.pos = c.org OR (c.i % 20 = 3 AND o.pos = (c.org + 1) % 3);
       INSERT INTO "CourseEditor" (id, "userId", "courseId")
       SELECT gen_random_uuid()::text, m.id, c.id
       FROM scale_course c JOIN scale_org o ON o.pos = c.org JOIN scale_member m ON m.org = c.org AND m.k = 1 + c.i % o.members
       WHERE c.i % 10 = 0`,
    ],
    // Runs: terms spread over four years, so past runs are published and future ones in review.
    [
      "runs and seats",
      `CREATE TEMP TABLE scale_run AS
       SELECT c.i, r, gen_random_uuid()::text AS id, c.id AS course_id, c.course_type,
         'course-v1:' || c.key || '+' || (${textArray(TERMS)})[1 + c.i % 6 + (r - 1) * 3] AS key,
         make_timestamp(2024 + (c.i % 6 + (r - 1) * 3) / 3, (ARRAY[2, 5, 9])[1 + (c.i % 6 + (r - 1) * 3) % 3], 1, 0, 0, 0) AS start
       FROM scale_course c CROSS JOIN LATERAL generate_series(1, c.runs) r;
       INSERT INTO "CourseRun" (id, key, "courseId", status, start, "end", "enrollmentStart", "enrollmentEnd",
         "goLiveDate", pacing, "runTypeId", "minEffort", "maxEffort", "weeksToComplete", "contentLanguage",
         "transcriptLanguages", staff, "createdAt", "updatedAt")
       SELECT r.id, r.key, r.course_id,
         (CASE WHEN r.start < now() THEN 'published'
           ELSE (ARRAY['unpublished','review_by_legal','review_by_internal','reviewed','published'])[1 + r.i % 5] END)::"CourseRunStatus",
         r.start, r.start + (10 + r.i % 5) * interval '1 week' + interval '23:59:59',
         r.start - interval '6 weeks', r.start + interval '4 weeks', r.start - interval '8 weeks',
         (CASE WHEN r.i % 3 = 0 THEN 'self_paced' ELSE 'instructor_paced' END)::"Pacing", rt.id,
         2 + r.i % 4, 5 + r.i % 4, 6 + r.i % 8, (${textArray(LANGUAGES)})[1 + r.i % ${LANGUAGES.length}],
         ARRAY[(${textArray(LANGUAGES)})[1 + r.i % ${LANGUAGES.length}]], '{}',
         r.start - interval '12 weeks', r.start - interval '10 weeks'
       FROM scale_run r JOIN "CourseRunType" rt ON rt.slug = r.course_type;
       INSERT INTO "Seat" (id, "runId", type, price, currency, "upgradeDeadline")
       SELECT gen_random_uuid()::text, cr.id, s.type,
         CASE s.type WHEN 'audit' THEN 0 WHEN 'verified' THEN 49 + (r.i % 6) * 25 WHEN 'professional' THEN 199 + (r.i % 4) * 100 ELSE 300 END,
         'USD', CASE WHEN s.type = 'audit' THEN NULL ELSE date_trunc('day', cr."end") - interval '10 days' + interval '23:59:59' END
       FROM scale_run r JOIN "CourseRun" cr ON cr.id = r.id JOIN "CourseRunType" rt ON rt.id = cr."runTypeId"
       CROSS JOIN LATERAL unnest(rt."seatTypes") AS s(type)`,
    ],
    // Operations: ten large ones, then many small ones; most target one organization, one in ten two of them,
    // one in fifty none (rows whose keys name no organization). A few are the demo coordinator's and admin's.
    [
      `${operations.toLocaleString("en-US")} operations`,
      `CREATE TEMP TABLE scale_op AS
       SELECT i, gen_random_uuid()::text AS id, t.type, t.status, t.mode, i % 3 AS org,
         CASE WHEN i % 10 = 5 THEN (i % 3 + 1) % 3 END AS second_org, i > ${large} AND i % 50 = 17 AS untargeted,
         now() - ((i * 7919) % ${operations}) * (interval '730 days' / ${operations}) AS created_at,
         (CASE WHEN i <= ${large} THEN floor(${rows} * (ARRAY[${LARGE_SHARES.join(",")}])[i])
           ELSE ${Math.floor((rows * 0.1) / (operations - large))} END)::int AS row_count
       FROM generate_series(1, ${operations}) i
       CROSS JOIN LATERAL (
         SELECT (ARRAY[${LARGE_OPERATIONS.map(([type]) => `'${type}'`).join(",")}])[i] AS type,
           (ARRAY[${LARGE_OPERATIONS.map(([, status]) => `'${status}'`).join(",")}])[i] AS status,
           (ARRAY[${LARGE_OPERATIONS.map(([, , mode]) => `'${mode}'`).join(",")}])[i] AS mode
         WHERE i <= ${large}
         UNION ALL
         SELECT (ARRAY['course_update','course_create','course_run_update','course_update','course_rerun','course_editor_update'])[1 + i % 6],
           CASE WHEN (i * 7) % 100 < 60 THEN 'completed' WHEN (i * 7) % 100 < 80 THEN 'partially_completed'
             WHEN (i * 7) % 100 < 85 THEN 'failed' WHEN (i * 7) % 100 < 88 THEN 'errored'
             WHEN (i * 7) % 100 < 92 THEN 'cancelled' WHEN (i * 7) % 100 < 97 THEN 'awaiting_confirmation'
             ELSE 'completed' END,
           CASE WHEN (i * 7) % 100 >= 92 THEN 'preview' ELSE 'apply' END
         WHERE i > ${large}
       ) t;
       UPDATE scale_op SET row_count = row_count + (${rows} - (SELECT sum(row_count) FROM scale_op)) WHERE i = ${operations};
       ALTER TABLE scale_op ADD COLUMN uploader text;
       UPDATE scale_op op SET uploader = CASE
           WHEN op.i % 50 = 1 AND op.org = 0 AND op.second_org IS NULL THEN (SELECT id FROM "User" WHERE email = 'coordinator@example.com')
           WHEN op.i % 50 = 2 THEN (SELECT id FROM "User" WHERE email = 'admin@example.com')
           ELSE m.id END
         FROM scale_org o JOIN scale_member m ON m.org = o.pos
         WHERE o.pos = op.org AND m.k = 1 + (op.i * 31) % o.members;
       INSERT INTO "BulkOperation" (id, type, status, mode, stage, "uploaderId", "fileName", "fileSize", "fileChecksum",
         "fileBytes", headers, "cancelRequested", "confirmedAt", "emailSentAt", "createdAt", "updatedAt", "startedAt", "finishedAt")
       SELECT op.id, op.type::"BulkOperationType", op.status::"BulkOperationStatus", op.mode::"BulkOperationMode",
         CASE op.status WHEN 'processing' THEN 'applying' END, op.uploader,
         replace(op.type, '_', '-') || '-' || to_char(op.created_at, 'YYYY-MM-DD') || '.csv',
         octet_length(f.bytes), encode(sha256(f.bytes), 'hex'), f.bytes,
         (SELECT jsonb_agg(jsonb_build_object('raw', c, 'name', c)) FROM unnest(f.columns) c),
         op.status = 'cancelled',
         CASE WHEN op.mode = 'preview' AND op.status <> 'awaiting_confirmation' THEN op.created_at + interval '5 minutes' END,
         CASE WHEN op.status NOT IN ('processing', 'awaiting_confirmation') THEN op.created_at + interval '20 minutes' END,
         op.created_at, op.created_at + interval '20 minutes', op.created_at + interval '2 seconds',
         CASE WHEN op.status NOT IN ('processing', 'awaiting_confirmation') THEN op.created_at + interval '20 minutes' END
       FROM scale_op op
       CROSS JOIN LATERAL (SELECT cols AS columns, convert_to(array_to_string(cols, ',') || E'\\n', 'UTF8') AS bytes
         FROM (SELECT (CASE op.type ${Object.entries(COLUMNS)
           .map(([type, columns]) => `WHEN '${type}' THEN ${textArray(columns)}`)
           .join(" ")} END) AS cols) x) f;
       INSERT INTO "BulkOperationTarget" ("operationId", "organizationId")
       SELECT op.id, o.id FROM scale_op op JOIN scale_org o ON o.pos = op.org OR o.pos = op.second_org
       WHERE NOT op.untargeted`,
    ],
    // Row results: each row names a course (or run) of the organization it targets; outcomes follow the
    // operation's status: failures with their codes, rows still pending in unfinished ones, a preview's outcomes.
    [
      `${rows.toLocaleString("en-US")} row results`,
      `INSERT INTO "BulkOperationRow" (id, "operationId", "rowNumber", status, "previewStatus", data, "targetKey",
         "errorCode", "errorColumn", "errorMessage", "courseId", "courseRunId", changes)
       SELECT gen_random_uuid()::text, op.id, n, x.status::"BulkRowStatus", x.preview::"BulkRowStatus",
         CASE op.type
           WHEN 'course_create' THEN jsonb_build_object('organization', split_part(x.key, '+', 1), 'number', c.number,
             'title', c.title, 'course_enrollment_track', 'Verified and Audit', 'course_pacing', 'instructor_paced',
             'start_date', CASE WHEN e.code = 'INVALID_VALUE' THEN '2026-13-0' || (n % 9 + 1) ELSE '2026-09-01' END,
             'end_date', '2026-12-15')
           WHEN 'course_update' THEN jsonb_build_object('course_key', x.key, 'title', c.title || ' (2nd edition)',
             'short_description', '<p>Updated description.</p>',
             'level_type', CASE WHEN e.code = 'INVALID_VALUE' THEN 'Expert' ELSE 'Intermediate' END)
           WHEN 'course_run_update' THEN jsonb_build_object('course_run_key', x.run_key, 'end_date', '2026-12-18',
             'minimum_effort', CASE WHEN e.code = 'INVALID_VALUE' THEN 'four' ELSE '3' END, 'maximum_effort', '6')
           WHEN 'course_rerun' THEN jsonb_build_object('last_active_run_key', x.run_key, 'start_date', '2027-02-01',
             'end_date', '2027-05-15', 'run_type', 'Verified and Audit', 'pacing_type', 'self_paced')
           ELSE jsonb_build_object('username_or_email', u.email, 'course_key_or_uuid', x.key,
             'action', CASE WHEN n % 4 = 0 THEN 'remove' ELSE 'add' END)
         END,
         -- As the pipeline stores it: the resolved key once applied, else the type's lowercased match key.
         CASE WHEN x.resolved THEN CASE op.type WHEN 'course_run_update' THEN x.run_key
             WHEN 'course_rerun' THEN 'course-v1:' || x.key || '+1T2027' ELSE x.key END
           ELSE CASE op.type WHEN 'course_create' THEN lower(x.key) WHEN 'course_update' THEN lower(x.key) || '|'
             WHEN 'course_run_update' THEN lower(x.run_key) END END,
         e.code, e.column_name, 'Row ' || n || ': ' || e.message,
         CASE WHEN x.resolved AND op.type NOT IN ('course_run_update', 'course_rerun') THEN c.id END,
         CASE WHEN x.resolved AND op.type = 'course_run_update' THEN r.id END,
         CASE WHEN x.status = 'updated' THEN CASE op.type
           WHEN 'course_update' THEN jsonb_build_object('title', jsonb_build_object('before', c.title, 'after', c.title || ' (2nd edition)'))
           WHEN 'course_run_update' THEN jsonb_build_object('end', jsonb_build_object('before', '2026-12-15T23:59:59.000Z', 'after', '2026-12-18T23:59:59.000Z'))
           ELSE jsonb_build_object('editors', jsonb_build_object('before', '[]'::jsonb, 'after', jsonb_build_array(u.email))) END END
       FROM scale_op op
       CROSS JOIN LATERAL generate_series(1, op.row_count) n
       JOIN scale_org o ON o.pos = CASE WHEN op.second_org IS NOT NULL AND n % 2 = 0 THEN op.second_org ELSE op.org END
       JOIN scale_org_course oc ON oc.org = o.pos AND oc.k = 1 + (op.i * 7919 + n * 31) % o.courses
       JOIN scale_course c ON c.i = oc.i
       JOIN scale_run r ON r.i = c.i AND r.r = 1
       JOIN scale_member m ON m.org = o.pos AND m.k = 1 + n % o.members
       JOIN "User" u ON u.id = m.id
       CROSS JOIN LATERAL (
         SELECT CASE
             WHEN op.untargeted OR op.status = 'failed' THEN true
             WHEN op.status IN ('partially_completed', 'awaiting_confirmation') THEN n % 13 = 0 OR n % 29 = 0
             WHEN op.status IN ('cancelled', 'processing', 'errored') THEN n % 41 = 0
             ELSE false END AS fails,
           CASE op.status WHEN 'cancelled' THEN n > op.row_count / 2 WHEN 'processing' THEN n > op.row_count * 6 / 10
             WHEN 'errored' THEN n > op.row_count * 3 / 10 WHEN 'awaiting_confirmation' THEN true ELSE false END AS unsettled,
           CASE WHEN op.type IN ('course_create', 'course_rerun') THEN 'created'
             WHEN n % 5 = 0 THEN 'unchanged' ELSE 'updated' END AS outcome,
           CASE WHEN op.untargeted THEN 'Unknown' || op.i || '+' || c.number ELSE c.key END AS key
       ) f
       CROSS JOIN LATERAL (
         -- A preview rejects some rows at validation (settled as failed) and finds others would fail.
         SELECT CASE WHEN f.fails AND (NOT f.unsettled OR n % 29 = 0) THEN 'failed'
             WHEN f.unsettled THEN 'pending' ELSE f.outcome END AS status,
           CASE WHEN op.mode <> 'preview' OR (f.fails AND n % 29 = 0) THEN NULL
             WHEN f.fails THEN 'failed' ELSE f.outcome END AS preview,
           NOT f.fails AND NOT f.unsettled AS resolved,
           f.key,
           CASE WHEN op.untargeted THEN 'course-v1:' || f.key || '+1T2026' ELSE r.key END AS run_key
       ) x
       CROSS JOIN LATERAL (
         SELECT (ARRAY[${errorCodes()}])[1 + (n / 13) % 3 + 3 * (array_position(ARRAY[${Object.keys(COLUMNS)
           .map((type) => `'${type}'`)
           .join(",")}], op.type) - 1)] AS code
       ) ec
       CROSS JOIN LATERAL (
         SELECT CASE WHEN n % 997 = 0 THEN NULL ELSE ec.code END AS code,
           CASE ec.code WHEN 'INVALID_VALUE' THEN (CASE op.type WHEN 'course_create' THEN 'start_date'
               WHEN 'course_update' THEN 'level_type' ELSE 'minimum_effort' END)
             WHEN 'MISSING_REQUIRED_DATA' THEN 'title' WHEN 'USER_NOT_FOUND' THEN 'username_or_email' END AS column_name,
           CASE ec.code
             WHEN 'INVALID_VALUE' THEN CASE op.type WHEN 'course_create' THEN 'start_date is not a date (YYYY-MM-DD)'
               WHEN 'course_update' THEN 'level_type "Expert" is not one of Introductory, Intermediate, Advanced'
               ELSE 'minimum_effort must be a whole number of hours' END
             WHEN 'MISSING_REQUIRED_DATA' THEN 'title is required'
             WHEN 'CONFLICT' THEN 'course ' || f.key || ' already exists'
             WHEN 'COURSE_NOT_FOUND' THEN 'no course ' || f.key || ' (or it is not visible to you)'
             WHEN 'COURSE_RUN_NOT_FOUND' THEN 'no course run ' || x.run_key || ' (or it is not visible to you)'
             WHEN 'TARGET_CHANGED' THEN 'the course changed after expected_modified; download it again'
             WHEN 'MISSING_COURSE_RUN_TYPE' THEN 'the run type is not allowed for this course type'
             WHEN 'COURSE_RUN_CREATE_ERROR' THEN 'the new run overlaps ' || x.run_key
             WHEN 'USER_NOT_FOUND' THEN 'no user ' || u.email
             WHEN 'USER_ORG_MISMATCH' THEN u.email || ' is not a member of ' || o.key
             ELSE 'the row could not be applied' END AS message
         WHERE x.status = 'failed' OR x.preview = 'failed'
         UNION ALL
         SELECT NULL, NULL, NULL WHERE x.status <> 'failed' AND x.preview IS DISTINCT FROM 'failed'
       ) e`,
    ],
    [
      "operation counters",
      `UPDATE "BulkOperation" b SET "totalRows" = s.total, "processedRows" = s.settled, "createdCount" = s.created,
         "updatedCount" = s.updated, "unchangedCount" = s.unchanged, "failedCount" = s.failed
       FROM (
         SELECT "operationId", count(*) AS total, count(*) FILTER (WHERE status <> 'pending') AS settled,
           count(*) FILTER (WHERE status = 'created') AS created, count(*) FILTER (WHERE status = 'updated') AS updated,
           count(*) FILTER (WHERE status = 'unchanged') AS unchanged, count(*) FILTER (WHERE status = 'failed') AS failed
         FROM "BulkOperationRow" WHERE "operationId" IN (SELECT id FROM scale_op) GROUP BY "operationId"
       ) s
       WHERE b.id = s."operationId"`,
    ],
  ];
}

/** Three error codes per operation type, in the order of the types in the rows statement. */
function errorCodes() {
  return [
    ["INVALID_VALUE", "MISSING_REQUIRED_DATA", "CONFLICT"],
    ["COURSE_NOT_FOUND", "INVALID_VALUE", "TARGET_CHANGED"],
    ["COURSE_RUN_NOT_FOUND", "INVALID_VALUE", "MISSING_COURSE_RUN_TYPE"],
    ["COURSE_RUN_NOT_FOUND", "COURSE_RUN_CREATE_ERROR", "INVALID_VALUE"],
    ["USER_NOT_FOUND", "USER_ORG_MISMATCH", "COURSE_NOT_FOUND"],
  ]
    .flat()
    .map((code) => `'${code}'`)
    .join(",");
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  assertLocalDatabaseUrl(options.databaseUrl);
  const name = new URL(options.databaseUrl).pathname.slice(1);
  const started = performance.now();
  if (options.reset) {
    log(`Recreating ${name}...`);
    await resetDatabase(options.databaseUrl);
  } else {
    await ensureDatabase(options.databaseUrl);
  }
  log(`Migrating and seeding ${name}...`);
  migrate(root, options.databaseUrl);
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: options.databaseUrl }) });
  try {
    await seedDatabase(prisma);
  } finally {
    await prisma.$disconnect();
  }

  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ courses: string }>(`SELECT count(*) AS courses FROM "Course"`);
    if (Number(rows[0].courses) > 100) {
      throw new Error(
        `${name} already holds ${rows[0].courses} courses: run with --reset to start from a fresh database.`,
      );
    }
    // The data is reproducible: a crash halfway is redone from scratch, so durability is not needed here.
    await client.query("SET synchronous_commit = off; SET work_mem = '256MB'; SET maintenance_work_mem = '512MB'");
    await client.query("BEGIN");
    for (const [label, sql] of statements(options)) {
      const t = performance.now();
      await client.query(sql);
      log(`${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    await client.query("COMMIT");
    // A catalog that has been in use: statistics gathered and the visibility map set (index-only scans).
    const t = performance.now();
    await client.query("VACUUM (ANALYZE)");
    log(`vacuum and statistics: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  log(`Done in ${((performance.now() - started) / 1000).toFixed(0)} s: ${options.databaseUrl}`);
}

if (process.argv[1] && path.basename(process.argv[1]) === "seed-scale.ts") {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
