import "server-only";

import type { Tx } from "./tables";

export interface CourseTypeRef {
  id: string;
  name: string;
  slug: string;
  allowedRunTypeIds: Set<string>;
  isAuditOnly: boolean;
}

export interface RunTypeRef {
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

/** Loaded once per chunk: a handful of small tables. */
export async function loadReferenceData(tx: Tx): Promise<ReferenceData> {
  // Sequential: a transaction is one connection, which runs one query at a time anyway.
  const courseTypes = await tx.courseType.findMany({ include: { allowedRunTypes: { select: { id: true } } } });
  const runTypes = await tx.courseRunType.findMany();
  const levelTypes = await tx.levelType.findMany();
  const subjects = await tx.subject.findMany();
  const languages = await tx.languageTag.findMany();
  const programTypes = await tx.programType.findMany();
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
      allowedRunTypeIds: new Set(t.allowedRunTypes.map((r) => r.id)),
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
    programTypes: byNameAndSlug(
      programTypes.map((p) => ({ ...p, slug: p.slug })),
      (p: (typeof programTypes)[number]) => p.slug,
    ),
  };
}

/** Organizations by lowercased key, for the keys a chunk mentions. */
export async function loadOrganizations(tx: Tx, keys: string[]) {
  const organizations = await tx.organization.findMany({
    where: { key: { in: [...new Set(keys)], mode: "insensitive" } },
    select: { id: true, key: true },
  });
  return new Map(organizations.map((o) => [o.key.toLowerCase(), o]));
}
