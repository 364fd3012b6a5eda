import { describe, expect, it } from "vitest";

import { startOperation } from "@/lib/bulk/actions/start-operation";
import type { OperationType } from "@/lib/bulk/vocabulary/operation-types";
import { db } from "@/lib/db";

import { type CsvTable, cleanCsvBytes, encodeCp1252, excelCsvBytes } from "../fixtures/excel/excel-csv";
import { createTestOrg, createTestUser, uniqueSuffix } from "../fixtures/factories";
import { actingUser, runInProcess } from "../fixtures/operations";

// Issue 6, acceptance 5: a file saved by Excel (UTF-8 BOM, Title Case headers, CRLF, Windows-1252
// accents, semicolons) gives exactly the result of its clean UTF-8, comma-separated twin. Each twin
// targets its own fresh organization, so results are compared with the organization key masked.

type Variant = { name: string; bytes: (table: CsvTable) => Uint8Array };

const CLEAN: Variant = { name: "clean UTF-8, comma, LF, snake_case", bytes: cleanCsvBytes };
const EXCEL_VARIANTS: Variant[] = [
  {
    name: "Excel: BOM, Windows-1252, semicolon, CRLF, Title Case",
    bytes: (table) => excelCsvBytes(table, { encoding: "windows-1252", bom: true }),
  },
  {
    name: "Excel 'CSV (MS-DOS)': Windows-1252 without BOM, semicolon, CRLF, Title Case",
    bytes: (table) => excelCsvBytes(table, { encoding: "windows-1252", bom: false }),
  },
  {
    name: "Excel 'CSV UTF-8': BOM, UTF-8, semicolon, CRLF, Title Case",
    bytes: (table) => excelCsvBytes(table, { encoding: "utf-8", bom: true }),
  },
];

const TITLES = [
  "Économie générale",
  "Introducción a la programación",
  "L’économie du café – «niveau 2»",
  "Größenordnungen für Anfänger",
];

/** The course_create table for one organization: four good rows and two rows that fail on a value. */
function courseCreateTable(organization: string): CsvTable {
  const header = [
    "Organization",
    "Title",
    "Number",
    "Course Enrollment Track",
    "Course Run Enrollment Track",
    "Course Pacing",
    "Start Date",
    "Start Time",
    "End Date",
    "Verified Price",
    "Short Description",
    "Level Type",
    "Primary Subject",
    "Content Language",
    "Transcript Languages",
    "Collaborators",
  ];
  const row = (title: string, number: string, overrides: Record<string, string> = {}) => ({
    Organization: organization,
    Title: title,
    Number: number,
    "Course Enrollment Track": "Verified and Audit",
    "Course Run Enrollment Track": "Verified and Audit",
    "Course Pacing": "instructor_paced",
    "Start Date": "2026-09-01",
    "Start Time": "09:30",
    "End Date": "12/15/2026",
    "Verified Price": "49.50",
    // A comma inside a cell: quoted in the comma twin, bare in the semicolon one.
    "Short Description": `<p>${title}, en résumé : «coût» 10 €</p>`,
    "Level Type": "Introductory",
    "Primary Subject": "Business & Management",
    "Content Language": "fr-fr",
    "Transcript Languages": "fr-fr, es-419",
    Collaborators: "Société Générale, Universität Zürich",
    ...overrides,
  });
  return {
    header,
    rows: [
      row(TITLES[0], "ECO101", { "Primary Subject": "Business & Management" }),
      row(TITLES[1], "PROG1", {
        "Content Language": "es-419",
        "Course Pacing": "self_paced",
        "Primary Subject": "Computer Science",
      }),
      row(TITLES[2], "CAFE2", { "Primary Subject": "Business & Management", "Verified Price": "99" }),
      row(TITLES[3], "GROSS", { "Primary Subject": "Mathematics", "Content Language": "de-de" }),
      row("Ñandú: fecha inválida", "BAD1", { "Start Date": "31/12/2026", "Primary Subject": "Science" }),
      row("Niveau inconnu", "BAD2", { "Level Type": "Débutant", "Primary Subject": "Science" }),
    ],
  };
}

async function uploadBytesAndRun(options: {
  userId: string;
  type: OperationType;
  fileName: string;
  bytes: Uint8Array;
}) {
  const user = await actingUser(options.userId);
  const { id } = await startOperation({
    user,
    input: { type: options.type, mode: "apply" },
    file: { name: options.fileName, bytes: options.bytes },
  });
  await runInProcess(id);
  const [operation, rows] = await Promise.all([
    db.bulkOperation.findUniqueOrThrow({ where: { id } }),
    db.bulkOperationRow.findMany({ where: { operationId: id }, orderBy: { rowNumber: "asc" } }),
  ]);
  return { operation, rows };
}

/** Masks what legitimately differs between twins (organization key, ids) and keeps everything else. */
function normalizeResult(result: Awaited<ReturnType<typeof uploadBytesAndRun>>, organization: string) {
  const { operation, rows } = result;
  return mask(
    {
      status: operation.status,
      errorMessage: operation.errorMessage,
      warnings: operation.warnings,
      headers: (operation.headers as { name: string }[]).map((h) => h.name),
      counts: [
        operation.totalRows,
        operation.createdCount,
        operation.updatedCount,
        operation.unchangedCount,
        operation.failedCount,
      ],
      rows: rows.map((r) => ({
        rowNumber: r.rowNumber,
        status: r.status,
        errorCode: r.errorCode,
        errorColumn: r.errorColumn,
        errorMessage: r.errorMessage,
        targetKey: r.targetKey,
        data: r.data,
        changes: r.changes,
        hasCourse: r.courseId !== null,
      })),
    },
    organization,
  );
}

/** The organization's courses as plain values, without ids, slugs or timestamps. */
async function catalogOf(organization: { id: string; key: string }) {
  const courses = await db.course.findMany({
    where: { organizations: { some: { organizationId: organization.id } } },
    orderBy: { key: "asc" },
    include: {
      courseType: true,
      levelType: true,
      editors: { include: { user: { select: { email: true } } } },
      runs: { orderBy: { key: "asc" }, include: { runType: true, seats: { orderBy: { type: "asc" } } } },
    },
  });
  const subjects = new Map((await db.subject.findMany()).map((s) => [s.id, s.name]));
  return mask(
    courses.map((c) => ({
      key: c.key,
      title: c.title,
      shortDescription: c.shortDescription,
      courseType: c.courseType.name,
      levelType: c.levelType?.name ?? null,
      primarySubject: c.primarySubjectId ? subjects.get(c.primarySubjectId) : null,
      collaborators: c.collaborators,
      editors: c.editors.map((e) => e.user.email).sort(),
      runs: c.runs.map((run) => ({
        key: run.key,
        status: run.status,
        start: run.start?.toISOString(),
        end: run.end?.toISOString(),
        pacing: run.pacing,
        runType: run.runType.name,
        contentLanguage: run.contentLanguage,
        transcriptLanguages: run.transcriptLanguages,
        seats: run.seats.map((s) => ({
          type: s.type,
          price: s.price.toFixed(2),
          currency: s.currency,
          upgradeDeadline: s.upgradeDeadline?.toISOString(),
        })),
      })),
    })),
    organization.key,
  );
}

/** Organization keys are letters and digits here; target keys hold them lowercased. */
function mask<T>(value: T, organization: string): unknown {
  return JSON.parse(JSON.stringify(value).replace(new RegExp(organization, "gi"), "<ORG>"));
}

describe("files saved by Excel", () => {
  it("builds the test bytes the way Excel does", () => {
    const table: CsvTable = {
      header: ["Title", "Short Description"],
      rows: [{ Title: "Économie", "Short Description": "a;b, c" }],
    };
    const bytes = excelCsvBytes(table, { encoding: "windows-1252", bom: true });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // É is one byte (0xC9) in Windows-1252, two (C3 89) in UTF-8; "a;b, c" must be quoted.
    expect(Buffer.from(bytes.subarray(3)).toString("latin1")).toBe('Title;Short Description\r\nÉconomie;"a;b, c"\r\n');
    expect([...encodeCp1252("’–€")]).toEqual([0x92, 0x96, 0x80]);
    expect(() => encodeCp1252("ᵉ")).toThrow(/Windows-1252/);
    expect(new TextDecoder().decode(cleanCsvBytes(table))).toBe('title,short_description\nÉconomie,"a;b, c"\n');
  });

  it("course_create: every Excel variant gives exactly the result of the clean UTF-8 twin", async () => {
    const staff = await createTestUser({ isStaff: true });
    const cleanOrg = await createTestOrg();
    const clean = await uploadBytesAndRun({
      userId: staff.id,
      type: "course_create",
      fileName: "courses.csv",
      bytes: CLEAN.bytes(courseCreateTable(cleanOrg.key)),
    });

    // The clean twin itself is right: four courses with their accents, two failures naming row and column.
    expect(clean.operation).toMatchObject({
      status: "partially_completed",
      totalRows: 6,
      createdCount: 4,
      failedCount: 2,
    });
    expect(clean.rows.map((r) => [r.rowNumber, r.status, r.errorCode, r.errorColumn])).toEqual([
      [1, "created", null, null],
      [2, "created", null, null],
      [3, "created", null, null],
      [4, "created", null, null],
      [5, "failed", "INVALID_VALUE", "start_date"],
      [6, "failed", "INVALID_VALUE", "level_type"],
    ]);
    expect(clean.rows[5].errorMessage).toContain("Débutant");
    const cleanCatalog = await catalogOf(cleanOrg);
    expect((cleanCatalog as { title: string }[]).map((c) => c.title).sort()).toEqual([...TITLES].sort());
    const cafe = (cleanCatalog as { key: string; shortDescription: string; collaborators: string[] }[]).find(
      (c) => c.key === "<ORG>+CAFE2",
    );
    expect(cafe?.shortDescription).toBe(`<p>${TITLES[2]}, en résumé : «coût» 10 €</p>`);
    expect(cafe?.collaborators).toEqual(["Société Générale", "Universität Zürich"]);

    for (const variant of EXCEL_VARIANTS) {
      const org = await createTestOrg();
      const excel = await uploadBytesAndRun({
        userId: staff.id,
        type: "course_create",
        fileName: "Courses (Excel).csv",
        bytes: variant.bytes(courseCreateTable(org.key)),
      });
      expect(normalizeResult(excel, org.key), variant.name).toEqual(normalizeResult(clean, cleanOrg.key));
      expect(await catalogOf(org), variant.name).toEqual(cleanCatalog);
    }
  });

  it("course_update and course_editor_update in upstream Title Case form apply as their clean twins", async () => {
    const staff = await createTestUser({ isStaff: true });
    const [cleanOrg, excelOrg] = [await createTestOrg(), await createTestOrg()];
    // An accented username, as the editor file names it: read right only if the encoding is.
    const author = await createTestUser({
      username: `josé.garcía_${uniqueSuffix()}`,
      memberships: [
        { organization: cleanOrg, role: "author" },
        { organization: excelOrg, role: "author" },
      ],
    });
    const twins = [
      { org: cleanOrg, bytes: CLEAN.bytes },
      { org: excelOrg, bytes: EXCEL_VARIANTS[0].bytes },
    ];

    const updateTable = (org: string): CsvTable => ({
      header: [
        "Course Key",
        "Title",
        "Short Description",
        "Level Type",
        "Course Run Key",
        "Course Pacing",
        "Minimum Effort",
      ],
      rows: [
        {
          "Course Key": `${org}+ECO101`,
          Title: "Économie générale – édition révisée",
          "Course Run Key": `course-v1:${org}+ECO101+3T2026`,
          "Minimum Effort": "3",
        },
        // A blank cell leaves the field unchanged: only the description and level change.
        {
          "Course Key": `${org}+PROG1`,
          "Short Description": "<p>Año académico; «señal»</p>",
          "Level Type": "Intermediate",
        },
        { "Course Key": `${org}+NOPE`, Title: "Cours inexistant" },
      ],
    });
    const editorTable = (org: string): CsvTable => ({
      header: ["Username or Email", "Course Key or UUID", "Action"],
      rows: [
        { "Username or Email": author.username!, "Course Key or UUID": `${org}+ECO101`, Action: "Add" },
        { "Username or Email": author.email.toUpperCase(), "Course Key or UUID": `${org}+PROG1`, Action: "add" },
        { "Username or Email": author.username!, "Course Key or UUID": `${org}+PROG1`, Action: "Remove" },
        { "Username or Email": author.username!, "Course Key or UUID": `${org}+ECO101`, Action: "Remove" },
        { "Username or Email": author.username!, "Course Key or UUID": `${org}+ECO101`, Action: "Remove" },
        { "Username or Email": "nadie@example.test", "Course Key or UUID": `${org}+ECO101`, Action: "add" },
      ],
    });

    const results = [];
    for (const { org, bytes } of twins) {
      const created = await uploadBytesAndRun({
        userId: staff.id,
        type: "course_create",
        fileName: "courses.csv",
        bytes: bytes(courseCreateTable(org.key)),
      });
      expect(created.operation.createdCount).toBe(4);
      const update = await uploadBytesAndRun({
        userId: staff.id,
        type: "course_update",
        fileName: "course updates.csv",
        bytes: bytes(updateTable(org.key)),
      });
      const editors = await uploadBytesAndRun({
        userId: staff.id,
        type: "course_editor_update",
        fileName: "editors.csv",
        bytes: bytes(editorTable(org.key)),
      });
      results.push({
        update: normalizeResult(update, org.key),
        editors: normalizeResult(editors, org.key),
        catalog: await catalogOf(org),
      });
    }
    const [clean, excel] = results;
    expect(excel.update).toEqual(clean.update);
    expect(excel.editors).toEqual(clean.editors);
    expect(excel.catalog).toEqual(clean.catalog);

    // And the clean twin did what the files say.
    const update = clean.update as {
      status: string;
      rows: { status: string; errorCode: string | null; changes: unknown }[];
    };
    expect(update.status).toBe("partially_completed");
    expect(update.rows.map((r) => [r.status, r.errorCode])).toEqual([
      ["updated", null],
      ["updated", null],
      ["failed", "COURSE_NOT_FOUND"],
    ]);
    expect(JSON.stringify(update.rows[0].changes)).toContain("Économie générale – édition révisée");
    const catalog = clean.catalog as { key: string; title: string; shortDescription: string; levelType: string }[];
    const eco = catalog.find((c) => c.key === "<ORG>+ECO101")!;
    const prog = catalog.find((c) => c.key === "<ORG>+PROG1")!;
    expect(eco.title).toBe("Économie générale – édition révisée");
    expect(prog).toMatchObject({
      title: TITLES[1],
      shortDescription: "<p>Año académico; «señal»</p>",
      levelType: "Intermediate",
    });

    const editors = clean.editors as { status: string; rows: { status: string; errorCode: string | null }[] };
    expect(editors.rows.map((r) => [r.status, r.errorCode])).toEqual([
      ["created", null],
      ["created", null],
      ["updated", null],
      ["updated", null],
      ["failed", "COURSE_EDITOR_REMOVE_ERROR"],
      ["failed", "USER_NOT_FOUND"],
    ]);
  });
});
