import { randomUUID } from "node:crypto";
import fs from "node:fs";

import { type RowParseResult, parseRow } from "@/lib/bulk/csv/parse-row";
import { readCsv } from "@/lib/bulk/csv/read-csv";
import type { CourseCreateRow } from "@/lib/bulk/operations/course-create";
import { runInstants } from "@/lib/bulk/operations/course-fields";
import { operationDefinition } from "@/lib/bulk/operations/registry";
import { loadReferenceData } from "@/lib/catalog/reference-data";
import { runKey, termOf } from "@/lib/catalog/run-key";
import { sanitizeRichText } from "@/lib/catalog/sanitize-rich-text";
import { seatsForRun } from "@/lib/catalog/seats";
import { slugify } from "@/lib/catalog/slugify";
import { db } from "@/lib/db";

/**
 * The row-by-row way the pipeline replaces: for each CSV row, parse it, then one awaited Prisma call
 * that creates the course with its organization link, first run, seats and editor (a nested write)
 * together with the row's result record. Reference data and organizations are loaded once.
 * Returns the rows written and the time the row loop took.
 */
export async function runRowByRowBaseline(options: { path: string; uploaderId: string }) {
  const { uploaderId } = options;
  const bytes = new Uint8Array(fs.readFileSync(options.path));
  const schema = operationDefinition("course_create").rowSchema;
  const reference = await db.$transaction((tx) => loadReferenceData(tx));
  const organizations = new Map(
    (await db.organization.findMany({ select: { id: true, key: true } })).map((o) => [o.key.toLowerCase(), o]),
  );
  const operation = await db.bulkOperation.create({
    data: {
      type: "course_create",
      status: "completed",
      uploaderId,
      fileName: "baseline.csv",
      fileSize: bytes.byteLength,
      fileChecksum: "baseline",
      fileBytes: Buffer.alloc(0),
    },
  });

  let created = 0;
  let failed = 0;
  const seen = new Set<string>();
  const started = performance.now();
  await readCsv(bytes, async (batch, header) => {
    for (const { number, cells } of batch) {
      const data: Record<string, string> = {};
      header.headers.forEach((column, i) => {
        if (column && cells[i]) {
          data[column] = cells[i];
        }
      });
      const parsed = parseRow(schema, data) as RowParseResult<CourseCreateRow>;
      const organization = parsed.ok ? organizations.get(parsed.row.organization.toLowerCase()) : undefined;
      const courseType = parsed.ok
        ? reference.courseTypes.get(parsed.row.course_enrollment_track.toLowerCase())
        : undefined;
      const runType = parsed.ok
        ? reference.runTypes.get(parsed.row.course_run_enrollment_track.toLowerCase())
        : undefined;
      const key = parsed.ok && organization ? `${organization.key}+${parsed.row.number}` : "";
      if (!parsed.ok || !organization || !courseType || !runType || seen.has(key.toLowerCase())) {
        await db.bulkOperationRow.create({
          data: { operationId: operation.id, rowNumber: number, status: "failed", data, errorCode: "INVALID_VALUE" },
        });
        failed++;
        continue;
      }
      seen.add(key.toLowerCase());
      const row = parsed.row;
      const at = runInstants(row);
      const courseId = randomUUID();
      const runId = randomUUID();
      const rich = (html: string | undefined) => (html === undefined ? null : sanitizeRichText(html));
      const lookup = (map: Map<string, string>, value: string | undefined) =>
        value ? (map.get(value.toLowerCase()) ?? null) : null;
      await db.$transaction([
        db.course.create({
          data: {
            id: courseId,
            key,
            title: row.title,
            urlSlug: row.url_slug ?? `${slugify(row.title)}-${slugify(row.number)}`,
            shortDescription: rich(row.short_description),
            fullDescription: rich(row.long_description),
            outcome: rich(row.what_will_you_learn),
            imageUrl: row.image ?? null,
            levelTypeId: lookup(reference.levelTypes, row.level_type),
            primarySubjectId: lookup(reference.subjects, row.primary_subject),
            secondarySubjectId: lookup(reference.subjects, row.secondary_subject),
            topics: row.topics ?? [],
            courseTypeId: courseType.id,
            organizations: { create: { organizationId: organization.id } },
            editors: { create: { userId: uploaderId } },
            runs: {
              create: {
                id: runId,
                key: runKey(key, termOf(at.start!)),
                status: row.move_to_legal_review ? "review_by_legal" : "unpublished",
                start: at.start,
                end: at.end,
                enrollmentStart: at.enrollmentStart ?? null,
                goLiveDate: at.goLiveDate ?? null,
                pacing: row.course_pacing,
                runTypeId: runType.id,
                minEffort: row.minimum_effort ?? null,
                maxEffort: row.maximum_effort ?? null,
                weeksToComplete: row.length ?? null,
                contentLanguage: lookup(reference.languages, row.content_language),
                transcriptLanguages: (row.transcript_languages ?? []).map((l) => lookup(reference.languages, l) ?? l),
                seats: {
                  create: seatsForRun({
                    runId,
                    seatTypes: runType.seatTypes,
                    price: row.verified_price ?? null,
                    runEnd: at.end ?? null,
                    upgradeDeadlineOverride: null,
                  }).map(({ id: _id, runId: _runId, ...seat }) => seat),
                },
              },
            },
          },
        }),
        db.bulkOperationRow.create({
          data: {
            operationId: operation.id,
            rowNumber: number,
            status: "created",
            data,
            targetKey: key,
            courseId,
            courseRunId: runId,
          },
        }),
      ]);
      created++;
    }
  });
  return { created, failed, ms: performance.now() - started };
}
