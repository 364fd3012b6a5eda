import { defaultUpgradeDeadline } from "../lib/catalog/seats";
import type { CourseRunStatus, MembershipRole, Pacing, PrismaClient } from "../lib/generated/prisma/client";

// Reference data as the upstream catalog has it. Upserts make the seed safe to run on every start.

const RUN_TYPES = [
  { slug: "audit", name: "Audit Only", seatTypes: ["audit"] },
  { slug: "verified-audit", name: "Verified and Audit", seatTypes: ["audit", "verified"] },
  { slug: "professional", name: "Professional Only", seatTypes: ["professional"] },
  { slug: "credit", name: "Credit", seatTypes: ["audit", "verified", "credit"] },
];

const COURSE_TYPES = [
  { slug: "audit", name: "Audit Only", entitlementSeatType: null, allowedRunTypes: ["audit"] },
  {
    slug: "verified-audit",
    name: "Verified and Audit",
    entitlementSeatType: "verified",
    allowedRunTypes: ["audit", "verified-audit"],
  },
  {
    slug: "professional",
    name: "Professional Only",
    entitlementSeatType: "professional",
    allowedRunTypes: ["professional"],
  },
  {
    slug: "credit",
    name: "Credit",
    entitlementSeatType: "verified",
    allowedRunTypes: ["audit", "verified-audit", "credit"],
  },
];

const LEVEL_TYPES = ["Introductory", "Intermediate", "Advanced"];

const SUBJECTS = [
  { slug: "computer-science", name: "Computer Science" },
  { slug: "math", name: "Mathematics" },
  { slug: "business-management", name: "Business & Management" },
  { slug: "data-analysis-statistics", name: "Data Analysis & Statistics" },
  { slug: "engineering", name: "Engineering" },
  { slug: "humanities", name: "Humanities" },
  { slug: "science", name: "Science" },
  { slug: "language", name: "Language" },
  { slug: "economics-finance", name: "Economics & Finance" },
  { slug: "biology-life-sciences", name: "Biology & Life Sciences" },
  { slug: "physics", name: "Physics" },
  { slug: "history", name: "History" },
];

const LANGUAGE_TAGS = [
  { code: "en-us", name: "English - United States" },
  { code: "en-gb", name: "English - United Kingdom" },
  { code: "es-es", name: "Spanish - Spain" },
  { code: "es-419", name: "Spanish - Latin America" },
  { code: "fr-fr", name: "French - France" },
  { code: "de-de", name: "German - Germany" },
  { code: "it-it", name: "Italian - Italy" },
  { code: "pt-br", name: "Portuguese - Brazil" },
  { code: "pt-pt", name: "Portuguese - Portugal" },
  { code: "zh-cn", name: "Chinese - China" },
  { code: "ja-jp", name: "Japanese - Japan" },
  { code: "ko-kr", name: "Korean - South Korea" },
  { code: "ru-ru", name: "Russian - Russia" },
  { code: "ar", name: "Arabic" },
  { code: "hi", name: "Hindi" },
];

const PROGRAM_TYPES = [
  { slug: "xseries", name: "XSeries" },
  { slug: "micromasters", name: "MicroMasters" },
  { slug: "professional-certificate", name: "Professional Certificate" },
  { slug: "masters", name: "Masters" },
  { slug: "bachelors", name: "Bachelors" },
  { slug: "doctorate", name: "Doctorate" },
  { slug: "license", name: "License" },
  { slug: "certificate", name: "Certificate" },
  { slug: "microbachelors", name: "MicroBachelors" },
  { slug: "professional-program-wl", name: "Professional Program" },
];

async function seedReferenceData(db: PrismaClient) {
  for (const runType of RUN_TYPES) {
    await db.courseRunType.upsert({
      where: { slug: runType.slug },
      create: runType,
      update: { name: runType.name, seatTypes: runType.seatTypes },
    });
  }
  for (const { allowedRunTypes, ...courseType } of COURSE_TYPES) {
    const runTypes = allowedRunTypes.map((slug) => ({ slug }));
    await db.courseType.upsert({
      where: { slug: courseType.slug },
      create: { ...courseType, allowedRunTypes: { connect: runTypes } },
      update: { ...courseType, allowedRunTypes: { set: runTypes } },
    });
  }
  for (const name of LEVEL_TYPES) {
    await db.levelType.upsert({ where: { name }, create: { name }, update: {} });
  }
  for (const subject of SUBJECTS) {
    await db.subject.upsert({ where: { slug: subject.slug }, create: subject, update: { name: subject.name } });
  }
  for (const tag of LANGUAGE_TAGS) {
    await db.languageTag.upsert({ where: { code: tag.code }, create: tag, update: { name: tag.name } });
  }
  for (const programType of PROGRAM_TYPES) {
    await db.programType.upsert({
      where: { slug: programType.slug },
      create: programType,
      update: { name: programType.name },
    });
  }
}

// Demo data: created when missing, never overwritten, so edits made in the app survive a restart.

const ORGANIZATIONS = [
  { key: "edX", name: "edX", logoUrl: "https://logos.example.com/edx.png" },
  { key: "MITx", name: "Massachusetts Institute of Technology", logoUrl: "https://logos.example.com/mitx.png" },
  { key: "HarvardX", name: "Harvard University", logoUrl: "https://logos.example.com/harvardx.png" },
];

const USERS: {
  email: string;
  username: string;
  name: string;
  isStaff?: boolean;
  membership?: { organizationKey: string; role: MembershipRole };
}[] = [
  { email: "admin@example.com", username: "admin", name: "Admin", isStaff: true },
  {
    email: "coordinator@example.com",
    username: "coordinator",
    name: "Casey Coordinator",
    membership: { organizationKey: "edX", role: "coordinator" },
  },
  {
    email: "author@example.com",
    username: "author",
    name: "Alex Author",
    membership: { organizationKey: "MITx", role: "author" },
  },
  { email: "norole@example.com", username: "norole", name: "Nora Norole" },
];

type DemoRun = {
  key: string;
  runType: string;
  status: CourseRunStatus;
  pacing: Pacing;
  start: string;
  end: string;
  prices: Partial<Record<string, number>>;
};

const COURSES: {
  key: string;
  title: string;
  courseType: string;
  levelType: string;
  subject: string;
  shortDescription: string;
  editors: string[];
  runs: DemoRun[];
}[] = [
  {
    key: "edX+DemoX",
    title: "Demonstration Course",
    courseType: "verified-audit",
    levelType: "Introductory",
    subject: "computer-science",
    shortDescription: "<p>A tour of the learning platform.</p>",
    editors: ["coordinator@example.com"],
    runs: [
      {
        key: "course-v1:edX+DemoX+1T2026",
        runType: "verified-audit",
        status: "published",
        pacing: "instructor_paced",
        start: "2026-02-01",
        end: "2026-05-31",
        prices: { verified: 49 },
      },
    ],
  },
  {
    key: "MITx+6.00x",
    title: "Introduction to Computer Science and Programming Using Python",
    courseType: "verified-audit",
    levelType: "Introductory",
    subject: "computer-science",
    shortDescription: "<p>Computational thinking and programming in Python.</p>",
    editors: ["author@example.com"],
    runs: [
      {
        key: "course-v1:MITx+6.00x+1T2026",
        runType: "verified-audit",
        status: "published",
        pacing: "self_paced",
        start: "2026-01-15",
        end: "2026-04-30",
        prices: { verified: 75 },
      },
      {
        key: "course-v1:MITx+6.00x+3T2026",
        runType: "verified-audit",
        status: "unpublished",
        pacing: "self_paced",
        start: "2026-09-10",
        end: "2026-12-15",
        prices: { verified: 75 },
      },
    ],
  },
  {
    key: "HarvardX+PH125.1x",
    title: "Data Science: R Basics",
    courseType: "audit",
    levelType: "Introductory",
    subject: "data-analysis-statistics",
    shortDescription: "<p>The basics of R programming for data analysis.</p>",
    editors: [],
    runs: [
      {
        key: "course-v1:HarvardX+PH125.1x+2T2026",
        runType: "audit",
        status: "published",
        pacing: "self_paced",
        start: "2026-05-04",
        end: "2026-08-28",
        prices: {},
      },
    ],
  },
  {
    key: "edX+PM101",
    title: "Project Management Essentials",
    courseType: "professional",
    levelType: "Intermediate",
    subject: "business-management",
    shortDescription: "<p>Plan, run and close projects on time.</p>",
    editors: ["coordinator@example.com"],
    runs: [
      {
        key: "course-v1:edX+PM101+1T2026",
        runType: "professional",
        status: "unpublished",
        pacing: "instructor_paced",
        start: "2026-03-02",
        end: "2026-04-24",
        prices: { professional: 199 },
      },
    ],
  },
];

async function seedDemoData(db: PrismaClient) {
  const orgIds = new Map<string, string>();
  for (const org of ORGANIZATIONS) {
    const row = await db.organization.upsert({ where: { key: org.key }, create: org, update: {} });
    orgIds.set(org.key, row.id);
  }

  const userIds = new Map<string, string>();
  for (const { membership, ...user } of USERS) {
    const row = await db.user.upsert({ where: { email: user.email }, create: user, update: {} });
    userIds.set(user.email, row.id);
    if (membership) {
      const organizationId = orgIds.get(membership.organizationKey)!;
      await db.membership.upsert({
        where: { userId_organizationId: { userId: row.id, organizationId } },
        create: { userId: row.id, organizationId, role: membership.role },
        update: {},
      });
    }
  }

  const [courseTypes, runTypes, levelTypes, subjects] = await Promise.all([
    db.courseType.findMany(),
    db.courseRunType.findMany(),
    db.levelType.findMany(),
    db.subject.findMany(),
  ]);
  const idOf = <T extends { id: string }>(rows: T[], match: (r: T) => boolean) => rows.find(match)!.id;

  for (const course of COURSES) {
    const organizationKey = course.key.split("+")[0];
    const row = await db.course.upsert({
      where: { key: course.key },
      create: {
        key: course.key,
        title: course.title,
        urlSlug: course.key.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
        shortDescription: course.shortDescription,
        courseTypeId: idOf(courseTypes, (t) => t.slug === course.courseType),
        levelTypeId: idOf(levelTypes, (t) => t.name === course.levelType),
        primarySubjectId: idOf(subjects, (s) => s.slug === course.subject),
        organizations: { create: { organizationId: orgIds.get(organizationKey)! } },
      },
      update: {},
    });

    for (const run of course.runs) {
      const runType = runTypes.find((t) => t.slug === run.runType)!;
      const end = new Date(`${run.end}T23:59:59Z`);
      await db.courseRun.upsert({
        where: { key: run.key },
        update: {},
        create: {
          key: run.key,
          courseId: row.id,
          status: run.status,
          pacing: run.pacing,
          start: new Date(`${run.start}T00:00:00Z`),
          end,
          runTypeId: runType.id,
          minEffort: 4,
          maxEffort: 8,
          weeksToComplete: 12,
          contentLanguage: "en-us",
          transcriptLanguages: ["en-us"],
          seats: {
            create: runType.seatTypes.map((type) => ({
              type,
              price: run.prices[type] ?? 0,
              upgradeDeadline: type === "audit" ? null : defaultUpgradeDeadline(end),
            })),
          },
        },
      });
    }

    for (const email of course.editors) {
      const userId = userIds.get(email)!;
      await db.courseEditor.upsert({
        where: { userId_courseId: { userId, courseId: row.id } },
        create: { userId, courseId: row.id },
        update: {},
      });
    }
  }
}

/** Reference data always; demo organizations, users and courses unless `demo` is false. */
export async function seedDatabase(db: PrismaClient, { demo = true }: { demo?: boolean } = {}) {
  await seedReferenceData(db);
  if (demo) {
    await seedDemoData(db);
  }
}
