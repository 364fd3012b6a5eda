import "server-only";

import type { RawSql } from "@/lib/sql/set-writes";

interface CourseTypeRef {
  id: string;
  name: string;
  slug: string;
  allowedRunTypeIds: Set<string>;
  isAuditOnly: boolean;
}

interface RunTypeRef {
  id: string;
  name: string;
  seatTypes: string[];
}

/** Reference data for validating a chunk of rows, looked up by lowercased name (or code/slug). */
export interface ReferenceData {
  courseTypes: Map<string, CourseTypeRef>;
  runTypes: Map<string, RunTypeRef>;
  runTypesById: Map<string, RunTypeRef>;
  levelTypes: Map<string, string>;
  subjects: Map<string, string>;
  languages: Map<string, string>;
  programTypes: Map<string, string>;
  /** Name of any course type, run type, level type or subject by id (ids are UUIDs), for readable diffs. */
  nameById: Map<string, string>;
}

interface ReferenceRows {
  courseTypes: {
    id: string;
    slug: string;
    name: string;
    entitlementSeatType: string | null;
    allowedRunTypeIds: string[];
  }[];
  runTypes: { id: string; slug: string; name: string; seatTypes: string[] }[];
  levelTypes: { id: string; name: string }[];
  subjects: { id: string; slug: string; name: string }[];
  languages: { code: string; name: string }[];
  programTypes: { slug: string; name: string }[];
}

// One round trip for the six small tables; `json_agg` keeps their rows in one value.
const REFERENCE_SQL = `SELECT json_build_object(
  'courseTypes', (SELECT coalesce(json_agg(json_build_object('id', t."id", 'slug', t."slug", 'name', t."name",
      'entitlementSeatType', t."entitlementSeatType",
      'allowedRunTypeIds', (SELECT coalesce(json_agg(a."A"), '[]') FROM "_CourseRunTypeToCourseType" a WHERE a."B" = t."id"))), '[]')
    FROM "CourseType" t),
  'runTypes', (SELECT coalesce(json_agg(json_build_object('id', "id", 'slug', "slug", 'name', "name", 'seatTypes', "seatTypes")), '[]') FROM "CourseRunType"),
  'levelTypes', (SELECT coalesce(json_agg(json_build_object('id', "id", 'name', "name")), '[]') FROM "LevelType"),
  'subjects', (SELECT coalesce(json_agg(json_build_object('id', "id", 'slug', "slug", 'name', "name")), '[]') FROM "Subject"),
  'languages', (SELECT coalesce(json_agg(json_build_object('code', "code", 'name', "name")), '[]') FROM "LanguageTag"),
  'programTypes', (SELECT coalesce(json_agg(json_build_object('slug', "slug", 'name', "name")), '[]') FROM "ProgramType")
)::text AS "reference"`;

/** Loaded once per chunk: a handful of small tables. */
export async function loadReferenceData(tx: RawSql): Promise<ReferenceData> {
  const [{ reference }] = await tx.$queryRawUnsafe<{ reference: string }[]>(REFERENCE_SQL);
  const { courseTypes, runTypes, levelTypes, subjects, languages, programTypes } = JSON.parse(
    reference,
  ) as ReferenceRows;
  const byNameAndSlug = <T>(items: { name: string; slug: string }[], value: (item: never) => T) => {
    const map = new Map<string, T>();
    for (const item of items) {
      map.set(item.slug.toLowerCase(), value(item as never));
      map.set(item.name.toLowerCase(), value(item as never));
    }
    return map;
  };
  const runTypeRefs = runTypes.map((t) => ({ id: t.id, name: t.name, slug: t.slug, seatTypes: t.seatTypes }));
  return {
    courseTypes: byNameAndSlug(courseTypes, (t: (typeof courseTypes)[number]) => ({
      id: t.id,
      name: t.name,
      slug: t.slug,
      allowedRunTypeIds: new Set(t.allowedRunTypeIds),
      isAuditOnly: t.entitlementSeatType === null,
    })),
    runTypes: byNameAndSlug(runTypeRefs, (t: RunTypeRef) => t),
    runTypesById: new Map(runTypeRefs.map((t) => [t.id, t])),
    levelTypes: new Map(levelTypes.map((l) => [l.name.toLowerCase(), l.id])),
    subjects: byNameAndSlug(subjects, (s: (typeof subjects)[number]) => s.id),
    languages: new Map(
      languages.flatMap((l) => [
        [l.code.toLowerCase(), l.code],
        [l.name.toLowerCase(), l.code],
      ]),
    ),
    nameById: new Map([...courseTypes, ...runTypes, ...levelTypes, ...subjects].map((item) => [item.id, item.name])),
    programTypes: byNameAndSlug(programTypes, (p: (typeof programTypes)[number]) => p.slug),
  };
}

/** Organizations by lowercased key, for the keys a chunk mentions. */
export async function loadOrganizations(tx: RawSql, keys: string[]) {
  const organizations = await tx.$queryRawUnsafe<{ id: string; key: string }[]>(
    `SELECT "id", "key" FROM "Organization" WHERE lower("key") = ANY($1::text[])`,
    [...new Set(keys.map((k) => k.toLowerCase()))],
  );
  return new Map(organizations.map((o) => [o.key.toLowerCase(), o]));
}
