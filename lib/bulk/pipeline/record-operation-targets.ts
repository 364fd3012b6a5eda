import "server-only";

import type { TargetKind } from "@/lib/bulk/operations/definition";
import { db } from "@/lib/db";

/**
 * Records the organizations an operation's stored rows target, which decides who may see it
 * (operation-access.ts). Every row counts, valid or not: its cells are shown to whoever sees the operation.
 * A key names its organization by its prefix even when no such course exists, and a course or run found by
 * key or uuid adds all of its course's organizations. Idempotent, so a replayed validation may run it again.
 */
export async function recordOperationTargets(operationId: string, targetColumns: Partial<Record<string, TargetKind>>) {
  const columns = Object.entries(targetColumns).filter(
    (entry): entry is [string, TargetKind] => entry[1] !== undefined,
  );
  if (columns.length === 0) {
    return;
  }
  await db.$executeRawUnsafe(
    `WITH "cell" AS (
       SELECT DISTINCT t."kind", btrim(r."data" ->> t."column") AS "value"
       FROM "BulkOperationRow" r CROSS JOIN unnest($2::text[], $3::text[]) AS t("column", "kind")
       WHERE r."operationId" = $1 AND btrim(r."data" ->> t."column") <> ''
     ),
     "named" AS (
       SELECT "kind", "value", lower(CASE "kind"
         WHEN 'organization' THEN "value"
         WHEN 'course' THEN split_part("value", '+', 1)
         ELSE split_part(regexp_replace("value", '^course-v1:', '', 'i'), '+', 1) END) AS "organizationKey"
       FROM "cell"
     ),
     "organization" AS (
       SELECT o."id" FROM "named" n JOIN "Organization" o ON lower(o."key") = n."organizationKey"
       UNION
       SELECT co."organizationId" FROM "named" n
         JOIN "Course" c ON n."kind" = 'course' AND (c."key" = n."value" OR c."id" = n."value")
         JOIN "CourseOrganization" co ON co."courseId" = c."id"
       UNION
       SELECT co."organizationId" FROM "named" n
         JOIN "CourseRun" cr ON n."kind" = 'run' AND cr."key" = n."value"
         JOIN "CourseOrganization" co ON co."courseId" = cr."courseId"
     )
     INSERT INTO "BulkOperationTarget" ("operationId", "organizationId")
     SELECT $1, "id" FROM "organization"
     ON CONFLICT DO NOTHING`,
    operationId,
    columns.map(([column]) => column),
    columns.map(([, kind]) => kind),
  );
}
