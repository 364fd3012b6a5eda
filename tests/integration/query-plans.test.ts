import { describe, expect, it } from "vitest";

import { courseSearchCondition } from "@/lib/catalog/list-courses";
import { loadCoursesForUpdate } from "@/lib/catalog/load-for-update";
import { db } from "@/lib/db";
import type { RawSql } from "@/lib/sql/set-writes";
import { sqlOn, sqlPool } from "@/lib/sql/sql-pool";

// Plans at catalog scale, on the connections the pipeline uses: 100,000 courses are inserted and analyzed in
// a transaction that is rolled back, so the planner decides with real statistics and no other test sees them.
// The regression: a trigram index on the bare key column also answers `key = ANY(…)`, and the planner took
// it for the pipeline's 2,500-key lookups (16-25 s per chunk at 100,000 courses); without it, at the default
// random_page_cost it read the whole table instead (58 ms per lookup against 10-22 ms through the B-tree).

interface PlanNode {
  "Index Name"?: string;
  "Node Type": string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

type Statement = { query: string; values: unknown[] };

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

async function atCatalogScale<T>(
  work: (sql: RawSql & { explain: (s: Statement) => Promise<PlanNode[]> }) => Promise<T>,
) {
  const client = await sqlPool().connect();
  try {
    await client.query("BEGIN");
    await client.query(`
      INSERT INTO "Course" (id, key, title, "urlSlug", "courseTypeId", "createdAt", "updatedAt")
      SELECT gen_random_uuid()::text, 'PlanX+C' || i, 'Planned course ' || i, 'planned-course-' || i,
        (SELECT id FROM "CourseType" LIMIT 1), now(), now()
      FROM generate_series(1, 100000) AS i`);
    await client.query(`ANALYZE "Course"`);
    const sql = sqlOn(client);
    return await work({
      ...sql,
      explain: async ({ query, values }) => {
        const [explained] = await sql.$queryRawUnsafe<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(
          `EXPLAIN (FORMAT JSON) ${query}`,
          ...values,
        );
        return nodesOf(explained["QUERY PLAN"][0].Plan);
      },
    });
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

async function trigramIndexes() {
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT indexname::text AS "name" FROM pg_indexes WHERE tablename = 'Course' AND indexdef LIKE '%gin_trgm_ops%'`;
  return rows.map((r) => r.name);
}

describe("query plans at catalog scale", () => {
  it("locks 2,500 courses by key through the unique B-tree: no trigram index, no sequential scan", async () => {
    const trigram = await trigramIndexes();
    expect(trigram.length).toBeGreaterThan(0);
    await atCatalogScale(async (sql) => {
      const keys = Array.from({ length: 2_500 }, (_, i) => `PlanX+C${1 + i * 37}`);
      const statements: Statement[] = [];
      const recording: RawSql = {
        $queryRawUnsafe: (query, ...values) => {
          statements.push({ query, values });
          return sql.$queryRawUnsafe(query, ...values);
        },
        $executeRawUnsafe: (query, ...values) => {
          statements.push({ query, values });
          return sql.$executeRawUnsafe(query, ...values);
        },
      };
      expect(new Set((await loadCoursesForUpdate(recording, keys)).values()).size).toBe(2_500);

      const plan = await sql.explain(statements[0]);
      const courseScans = plan.filter(
        (node) => node["Relation Name"] === "Course" || node["Index Name"]?.startsWith("Course_"),
      );
      expect(courseScans.map((node) => node["Index Name"]).filter(Boolean)).toContain("Course_key_key");
      expect(courseScans.filter((node) => node["Node Type"] === "Seq Scan")).toEqual([]);
      expect(plan.filter((node) => trigram.includes(node["Index Name"] ?? ""))).toEqual([]);
    });
  });

  it("serves the course list's key or title substring search from the trigram indexes", async () => {
    const trigram = await trigramIndexes();
    await atCatalogScale(async (sql) => {
      const condition = courseSearchCondition("x+c4242");
      const plan = await sql.explain({
        query: `SELECT c."id" FROM "Course" c WHERE ${condition.text}`,
        values: condition.values,
      });
      expect(
        plan
          .map((node) => node["Index Name"])
          .filter((name) => trigram.includes(name ?? ""))
          .sort(),
      ).toEqual(trigram.sort());
    });
  });
});
