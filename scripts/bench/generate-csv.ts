import fs from "node:fs";

// Realistic bulk-operation files for the benchmark: varied titles, dates (both accepted formats),
// prices, course types, subjects and languages, and a configurable share of bad rows of the kinds
// partners really send. Rows are written to disk as they are made, so generating a 100,000-row file
// never holds it as objects. Seeded: the same options give the same file.

/** A small, fast, seedable PRNG (mulberry32). */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof random>;

const TITLE_OPENINGS = [
  "Introduction to",
  "Foundations of",
  "Advanced",
  "Applied",
  "Principles of",
  "Fundamentals of",
  "Topics in",
  "A Practical Guide to",
  "Modern",
  "Essentials of",
  "Introducción a la",
  "Économie et",
];
const AREAS = [
  "Data Science",
  "Machine Learning",
  "Corporate Finance",
  "Organic Chemistry",
  "Linear Algebra",
  "Public Health",
  "Supply Chain Management",
  "World History",
  "Quantum Mechanics",
  "Spanish Conversation",
  "Creative Writing",
  "Cybersecurity",
  "Microeconomics",
  "Cell Biology",
  "Statistics with R",
  "Python Programming",
  "Project Management",
  "Climate Science",
  "Digital Marketing",
  "Philosophy of Mind",
];
const TITLE_ENDINGS = [
  "",
  " I",
  " II",
  ": Part 1",
  ": Part 2",
  " for Beginners",
  " for Professionals",
  " (2026 edition)",
  " with Case Studies",
];
const SUBJECTS = [
  "Computer Science",
  "Mathematics",
  "Business & Management",
  "Data Analysis & Statistics",
  "Engineering",
  "Humanities",
  "Science",
  "Language",
  "Economics & Finance",
  "Biology & Life Sciences",
  "physics",
  "History",
];
const LEVELS = ["Introductory", "Intermediate", "Advanced", "introductory"];
const LANGUAGES = [
  "en-us",
  "en-us",
  "en-us",
  "English - United States",
  "es-419",
  "fr-fr",
  "de-de",
  "pt-br",
  "zh-cn",
  "ar",
  "hi",
  "en-gb",
];
const TOPICS = [
  "python",
  "statistics",
  "leadership",
  "finance",
  "writing",
  "ethics",
  "sql",
  "visualisation",
  "genetics",
  "calculus",
];
/** Course type, the run types it allows, and whether it sells paid seats. */
const TRACKS: { courseType: string; runTypes: string[]; paid: boolean; weight: number }[] = [
  {
    courseType: "Verified and Audit",
    runTypes: ["Verified and Audit", "Verified and Audit", "Audit Only"],
    paid: true,
    weight: 60,
  },
  { courseType: "Audit Only", runTypes: ["Audit Only"], paid: false, weight: 15 },
  { courseType: "Professional Only", runTypes: ["Professional Only"], paid: true, weight: 15 },
  { courseType: "Credit", runTypes: ["Credit", "Verified and Audit"], paid: true, weight: 10 },
];
const TRACK_WHEEL = TRACKS.flatMap((t) => Array<typeof t>(t.weight).fill(t));

const COURSE_CREATE_COLUMNS = [
  "Organization",
  "Title",
  "Number",
  "Course Enrollment Track",
  "Course Run Enrollment Track",
  "Course Pacing",
  "Start Date",
  "Start Time",
  "End Date",
  "End Time",
  "Enrollment Start Date",
  "Verified Price",
  "Image",
  "Short Description",
  "Long Description",
  "What Will You Learn",
  "Level Type",
  "Primary Subject",
  "Secondary Subject",
  "Topics",
  "Publish Date",
  "Minimum Effort",
  "Maximum Effort",
  "Length",
  "Content Language",
  "Transcript Languages",
  "Move To Legal Review",
] as const;
type CreateColumn = (typeof COURSE_CREATE_COLUMNS)[number];

const COURSE_UPDATE_COLUMNS = [
  "Course Key",
  "Course Run Key",
  "Title",
  "Short Description",
  "Long Description",
  "Level Type",
  "Primary Subject",
  "Topics",
  "Image",
  "Enterprise Subscription Inclusion",
  "End Date",
  "Minimum Effort",
  "Maximum Effort",
  "Length",
  "Content Language",
  "Verified Price",
] as const;
type UpdateColumn = (typeof COURSE_UPDATE_COLUMNS)[number];

export interface GeneratedFile {
  path: string;
  rows: number;
  /** Rows made bad on purpose (each fails validation or apply). */
  badRows: number;
  bytes: number;
}

/** Buffers lines and appends them to the file in large writes. */
class CsvWriter<Column extends string> {
  private readonly fd: number;
  private buffer: string[] = [];
  bytes = 0;

  constructor(
    path: string,
    private readonly columns: readonly Column[],
  ) {
    this.fd = fs.openSync(path, "w");
    this.line(columns);
  }

  row(cells: Partial<Record<Column, string>>) {
    this.line(this.columns.map((c) => cells[c] ?? ""));
  }

  close() {
    this.flush();
    fs.closeSync(this.fd);
  }

  private line(cells: readonly string[]) {
    this.buffer.push(cells.map(quote).join(","));
    if (this.buffer.length === 2_000) {
      this.flush();
    }
  }

  private flush() {
    const text = this.buffer.join("\r\n") + "\r\n";
    this.bytes += fs.writeSync(this.fd, text);
    this.buffer = [];
  }
}

function quote(cell: string) {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

const pad = (n: number) => String(n).padStart(2, "0");
const DAY = 86_400_000;

/** ISO most of the time, the US form otherwise, as spreadsheets export either. */
function dateText(rng: Random, date: Date) {
  const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  return rng.chance(0.7) ? `${y}-${pad(m)}-${pad(d)}` : `${m}/${d}/${y}`;
}

function price(rng: Random) {
  const whole = rng.pick([49, 79, 99, 149, 199, 249, 299, 349, 499]);
  return rng.pick([`${whole}`, `${whole}.00`, `${whole - 1}.99`, `$${whole}`]);
}

function paragraphs(rng: Random, area: string, count: number) {
  const sentences = [
    `<p>This course gives you a working knowledge of ${area.toLowerCase()}, with weekly exercises and a final project.</p>`,
    `<p>You will study real cases from industry and research, discuss them with peers, and get feedback from the course staff.</p>`,
    `<ul><li>Key ideas of ${area}</li><li>Tools practitioners use</li><li>How to apply them at work</li></ul>`,
    `<p>No prior experience is needed beyond curiosity and a few hours a week.</p>`,
  ];
  return Array.from({ length: count }, () => rng.pick(sentences)).join("");
}

/** Kinds of bad rows; each is caught by validation or by apply, never by the database. */
const CREATE_DEFECTS: ((cells: Partial<Record<CreateColumn, string>>, previousNumber: string | undefined) => void)[] = [
  (c) => (c["Start Date"] = "31/12/2026"),
  (c) => (c.Title = `${c.Title} ${"and more ".repeat(40)}`),
  (c) => {
    c["Course Enrollment Track"] = "Verified and Audit";
    c["Course Run Enrollment Track"] = "Verified and Audit";
    c["Verified Price"] = "";
  },
  (c) => (c["Course Enrollment Track"] = "Platinum"),
  (c) => (c.Organization = "NoSuchOrg"),
  (c) => ([c["Start Date"], c["End Date"]] = [c["End Date"], c["Start Date"]]),
  (c) => (c["Primary Subject"] = "Astrology"),
  (c, previous) => (c.Number = previous ?? c.Number),
  (c) => {
    c["Course Enrollment Track"] = "Verified and Audit";
    c["Course Run Enrollment Track"] = "Verified and Audit";
    c["Verified Price"] = "1,299.00";
  },
  (c) => {
    c["Course Enrollment Track"] = "Audit Only";
    c["Course Run Enrollment Track"] = "Credit";
  },
  (c) => (c.Image = "images/course.png"),
  (c) => (c["Course Pacing"] = "whenever"),
];

/** A "Course Creation" file of `rows` courses in `organizations`, numbered `<prefix>-<n>`. */
function writeCourseCreateCsv(options: {
  path: string;
  rows: number;
  prefix: string;
  organizations: string[];
  badShare: number;
  seed: number;
}): GeneratedFile {
  const rng = random(options.seed);
  const writer = new CsvWriter(options.path, COURSE_CREATE_COLUMNS);
  let badRows = 0;
  let previousNumber: string | undefined;
  for (let i = 1; i <= options.rows; i++) {
    const area = rng.pick(AREAS);
    const track = rng.pick(TRACK_WHEEL);
    const number = `${options.prefix}-${i}`;
    const start = new Date(Date.UTC(2026, 0, 1) + rng.int(0, 3 * 365) * DAY);
    const end = new Date(start.getTime() + rng.int(4, 16) * 7 * DAY);
    const minEffort = rng.int(1, 6);
    const legal = rng.chance(0.05);
    const cells: Partial<Record<CreateColumn, string>> = {
      Organization: rng.pick(options.organizations),
      Title: `${rng.pick(TITLE_OPENINGS)} ${area}${rng.pick(TITLE_ENDINGS)}`,
      Number: number,
      "Course Enrollment Track": track.courseType,
      "Course Run Enrollment Track": rng.pick(track.runTypes),
      "Course Pacing": rng.pick(["instructor_paced", "self_paced", "Self-Paced", "instructor"]),
      "Start Date": dateText(rng, start),
      "Start Time": rng.chance(0.4) ? rng.pick(["09:00", "10:30", "14:00:00"]) : "",
      "End Date": dateText(rng, end),
      "End Time": rng.chance(0.3) ? "23:59" : "",
      "Enrollment Start Date": rng.chance(0.3) ? dateText(rng, new Date(start.getTime() - 30 * DAY)) : "",
      "Verified Price": track.paid ? price(rng) : "",
      Image: legal || rng.chance(0.5) ? `https://images.example.com/courses/${number.toLowerCase()}.jpg` : "",
      "Short Description": rng.chance(0.8) || legal ? `<p>Learn ${area.toLowerCase()} step by step.</p>` : "",
      "Long Description": rng.chance(0.5) || legal ? paragraphs(rng, area, rng.int(2, 4)) : "",
      "What Will You Learn":
        rng.chance(0.4) || legal ? `<ul><li>${area} basics</li><li>Hands-on projects</li></ul>` : "",
      "Level Type": rng.chance(0.8) || legal ? rng.pick(LEVELS) : "",
      "Primary Subject": rng.chance(0.9) || legal ? rng.pick(SUBJECTS) : "",
      "Secondary Subject": rng.chance(0.3) ? rng.pick(SUBJECTS) : "",
      Topics: rng.chance(0.5) ? [rng.pick(TOPICS), rng.pick(TOPICS)].join(", ") : "",
      "Publish Date": rng.chance(0.3) || legal ? dateText(rng, new Date(start.getTime() - 60 * DAY)) : "",
      "Minimum Effort": rng.chance(0.6) || legal ? String(minEffort) : "",
      "Maximum Effort": rng.chance(0.6) || legal ? String(minEffort + rng.int(0, 6)) : "",
      Length: rng.chance(0.6) || legal ? String(rng.int(4, 16)) : "",
      "Content Language": rng.chance(0.9) ? rng.pick(LANGUAGES) : "",
      "Transcript Languages": rng.chance(0.5) ? [rng.pick(LANGUAGES.slice(4)), "en-us"].join(", ") : "",
      "Move To Legal Review": legal ? "yes" : rng.chance(0.1) ? "no" : "",
    };
    if (rng.next() < options.badShare) {
      rng.pick(CREATE_DEFECTS)(cells, previousNumber);
      badRows++;
    }
    previousNumber = number;
    writer.row(cells);
  }
  writer.close();
  return { path: options.path, rows: options.rows, badRows, bytes: writer.bytes };
}

export interface UpdateTarget {
  courseKey: string;
  runKey: string;
  /** The run sells paid seats, so a price change applies. */
  paid: boolean;
}

const UPDATE_DEFECTS: ((cells: Partial<Record<UpdateColumn, string>>) => void)[] = [
  (c) => (c["Course Key"] = `${c["Course Key"]}-gone`),
  (c) => (c["Level Type"] = "Expert"),
  (c) => {
    c["Course Run Key"] = c["Course Run Key"] || "course-v1:x+y+1T2020";
    c["End Date"] = "2026-02-30";
  },
  (c) => (c["Course Run Key"] = `${c["Course Run Key"] || "course-v1:x+y+1T2020"}x`),
  (c) => {
    c["Course Run Key"] = c["Course Run Key"] || "course-v1:x+y+1T2020";
    c["Minimum Effort"] = "9";
    c["Maximum Effort"] = "3";
  },
  (c) => (c.Image = "not a url"),
];

/** A "Course Updates" file: one row per target course, some of them changing the course's run too. */
function writeCourseUpdateCsv(options: {
  path: string;
  targets: UpdateTarget[];
  badShare: number;
  seed: number;
}): GeneratedFile {
  const rng = random(options.seed);
  const writer = new CsvWriter(options.path, COURSE_UPDATE_COLUMNS);
  let badRows = 0;
  for (const target of options.targets) {
    const area = rng.pick(AREAS);
    const cells: Partial<Record<UpdateColumn, string>> = { "Course Key": target.courseKey };
    if (rng.chance(0.4)) {
      cells.Title = `${rng.pick(TITLE_OPENINGS)} ${area}${rng.pick(TITLE_ENDINGS)}`;
    }
    if (rng.chance(0.4)) {
      cells["Short Description"] = `<p>Updated: learn ${area.toLowerCase()} with new material.</p>`;
    }
    if (rng.chance(0.2)) {
      cells["Long Description"] = paragraphs(rng, area, rng.int(2, 4));
    }
    if (rng.chance(0.3)) {
      cells["Level Type"] = rng.pick(LEVELS);
    }
    if (rng.chance(0.3)) {
      cells["Primary Subject"] = rng.pick(SUBJECTS);
    }
    if (rng.chance(0.2)) {
      cells.Topics = [rng.pick(TOPICS), rng.pick(TOPICS)].join(", ");
    }
    if (rng.chance(0.2)) {
      cells.Image = `https://images.example.com/v2/${target.courseKey.toLowerCase().replace(/\W+/g, "-")}.jpg`;
    }
    if (rng.chance(0.1)) {
      cells["Enterprise Subscription Inclusion"] = rng.pick(["yes", "no", "true"]);
    }
    if (rng.chance(0.3)) {
      cells["Course Run Key"] = target.runKey;
      const minEffort = rng.int(1, 5);
      if (rng.chance(0.5)) {
        cells["End Date"] = dateText(rng, new Date(Date.UTC(2029, rng.int(0, 11), rng.int(1, 28))));
      }
      if (rng.chance(0.5)) {
        cells["Minimum Effort"] = String(minEffort);
        cells["Maximum Effort"] = String(minEffort + rng.int(1, 5));
      }
      if (rng.chance(0.3)) {
        cells.Length = String(rng.int(4, 20));
      }
      if (rng.chance(0.3)) {
        cells["Content Language"] = rng.pick(LANGUAGES);
      }
      if (target.paid && rng.chance(0.3)) {
        cells["Verified Price"] = price(rng);
      }
    }
    if (rng.next() < options.badShare) {
      rng.pick(UPDATE_DEFECTS)(cells);
      badRows++;
    }
    writer.row(cells);
  }
  writer.close();
  return { path: options.path, rows: options.targets.length, badRows, bytes: writer.bytes };
}

/** What the benchmark asks a generator process for (one JSON argument). */
export type GenerateSpec =
  | {
      kind: "course_create";
      path: string;
      rows: number;
      prefix: string;
      organizations: string[];
      badShare: number;
      seed: number;
    }
  | { kind: "course_update"; path: string; targetsPath: string; badShare: number; seed: number };

// CLI: `node --import tsx scripts/bench/generate-csv.ts '<GenerateSpec JSON>'` prints the GeneratedFile.
// The benchmark generates in a child process, so that its own memory is the pipeline's alone.
if (process.argv[1] && /generate-csv\.ts$/.test(process.argv[1])) {
  const spec = JSON.parse(process.argv[2]) as GenerateSpec;
  const file =
    spec.kind === "course_create"
      ? writeCourseCreateCsv(spec)
      : writeCourseUpdateCsv({
          ...spec,
          targets: JSON.parse(fs.readFileSync(spec.targetsPath, "utf8")) as UpdateTarget[],
        });
  process.stdout.write(JSON.stringify(file));
}
