import { GET as errorCsvRoute } from "@/app/api/bulk-operations/[id]/errors.csv/route";
import { GET as getOperationRoute } from "@/app/api/bulk-operations/[id]/route";
import { GET as listRowsRoute } from "@/app/api/bulk-operations/[id]/rows/route";
import { GET as listOperationsRoute } from "@/app/api/bulk-operations/route";
import { GET as getCourseRoute } from "@/app/api/courses/[keyOrUuid]/route";
import { GET as listCoursesRoute } from "@/app/api/courses/route";
import { GET as listUsersRoute } from "@/app/api/users/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db";

// The read benchmark's calls: the API route handlers themselves, each given a Request with an API token,
// so a figure covers authentication, parsing, the queries and the JSON (the pages call the same lib
// functions). Imported only once DATABASE_URL points at the scale database (lib/db reads it on load).

type Route = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

export type Role = "staff" | "member";

/** Who the figures are for: staff see everything; the member is the demo coordinator of edX. */
const ROLE_EMAILS: Record<Role, string> = { staff: "admin@example.com", member: "coordinator@example.com" };

interface Probe {
  route: Route;
  path: string;
  params?: Record<string, string>;
  /**
   * A streamed download: only its start is awaited, the header and the first batch of rows (the first two
   * chunks; the header alone is written before any row is read), then the stream is cancelled.
   */
  start?: boolean;
}

export interface Endpoint {
  name: string;
  /** One probe per request, cycled: varied queries, pages and targets. */
  probes: Record<Role, Probe[]>;
  /** Statuses that count as an answer (the member's users list is a 403). */
  expected?: Partial<Record<Role, number>>;
}

export interface Timing {
  endpoint: string;
  role: Role;
  p50: number;
  p95: number;
  max: number;
  requests: number;
  failures: string[];
}

const TITLE_WORDS = [
  "data",
  "machine learning",
  "python",
  "history",
  "finance",
  "introduction to",
  "biology",
  "calculus",
  "ethics",
  "robot",
  "supply chain",
  "quantum",
];
const KEY_PREFIXES = ["MITx+CS1", "edX+DS2", "HarvardX+BIO", "edX+", "MITx+AI3", "edX+MATH1", "HarvardX+", "edX+FIN2"];
const USER_QUERIES = ["chen", "garcia", "ada.", "mit.example", "patel1", "zhou", "sara", "kumar"];

async function sample<T>(sql: string, ...values: unknown[]) {
  return db.$queryRawUnsafe<T[]>(sql, ...values);
}

/** Operations a role sees, the largest first (the most rows to filter, count and group). */
function visibleOperationsSql(role: Role) {
  return role === "staff"
    ? `SELECT o."id", o."mode"::text AS "mode" FROM "BulkOperation" o`
    : `SELECT o."id", o."mode"::text AS "mode" FROM "BulkOperation" o
       WHERE o."uploaderId" = $1 OR (EXISTS (SELECT 1 FROM "BulkOperationTarget" t WHERE t."operationId" = o."id")
         AND NOT EXISTS (SELECT 1 FROM "BulkOperationTarget" t WHERE t."operationId" = o."id" AND t."organizationId" <> ALL($2::text[])))`;
}

/** The scale data set's users, courses and operations the probes name; fails when it is not loaded. */
export async function buildEndpoints(repeat: number): Promise<Endpoint[]> {
  const [{ courses }] = await sample<{ courses: number }>(`SELECT count(*)::int AS "courses" FROM "Course"`);
  if (courses < 10_000) {
    throw new Error(`The database holds ${courses} courses: load the scale data set first (npm run seed:scale).`);
  }
  const users = await db.user.findMany({
    where: { email: { in: Object.values(ROLE_EMAILS) } },
    select: { id: true, email: true, memberships: { select: { organizationId: true } } },
  });
  const userOf = (role: Role) => {
    const user = users.find((u) => u.email === ROLE_EMAILS[role]);
    if (!user) {
      throw new Error(`No user ${ROLE_EMAILS[role]}: the database was not seeded (npm run db:seed).`);
    }
    return user;
  };
  const member = userOf("member");
  const memberOrganizations = member.memberships.map((m) => m.organizationId);

  const courseKeys = {
    staff: (await sample<{ key: string }>(`SELECT "key" FROM "Course" ORDER BY md5("id") LIMIT 30`)).map((c) => c.key),
    member: (
      await sample<{ key: string }>(
        `SELECT c."key" FROM "Course" c JOIN "CourseOrganization" co ON co."courseId" = c."id"
         WHERE co."organizationId" = ANY($1::text[]) ORDER BY md5(c."id") LIMIT 30`,
        memberOrganizations,
      )
    ).map((c) => c.key),
  };
  const operations = async (role: Role) => {
    const rows = await sample<{ id: string; mode: string }>(
      `${visibleOperationsSql(role)} ORDER BY o."totalRows" DESC LIMIT 6`,
      ...(role === "member" ? [member.id, memberOrganizations] : []),
    );
    return Promise.all(
      rows.map(async (o) => ({
        ...o,
        codes: (
          await sample<{ code: string }>(
            `SELECT DISTINCT "errorCode" AS "code" FROM "BulkOperationRow"
             WHERE "operationId" = $1 AND "errorCode" IS NOT NULL LIMIT 4`,
            o.id,
          )
        ).map((r) => r.code),
        lastPage: Math.max(
          1,
          Math.ceil(
            (
              await sample<{ n: number }>(
                `SELECT count(*)::int AS "n" FROM "BulkOperationRow" WHERE "operationId" = $1`,
                o.id,
              )
            )[0].n / 50,
          ),
        ),
      })),
    );
  };
  const ops = { staff: await operations("staff"), member: await operations("member") };
  const [{ pages }] = await sample<{ pages: number }>(`SELECT ceil(count(*) / 25.0)::int AS "pages" FROM "Course"`);

  const perRole = (build: (role: Role) => Probe[]) => ({ staff: build("staff"), member: build("member") });
  const cycle = <T>(values: T[]) => Array.from({ length: repeat }, (_, i) => values[i % values.length]);
  const opProbes = (
    role: Role,
    path: (id: string) => string,
    route: Route,
    query: (op: (typeof ops)["staff"][number], i: number) => string,
  ) => cycle(ops[role]).map((op, i) => ({ route, path: `${path(op.id)}${query(op, i)}`, params: { id: op.id } }));
  const rowsPath = (id: string) => `/api/bulk-operations/${id}/rows`;

  return [
    {
      name: "courses list",
      probes: perRole(() =>
        cycle([1, 2, 3, 5, 8, 13, 21, 40]).map((page) => ({
          route: listCoursesRoute as Route,
          path: `/api/courses?page=${page}`,
        })),
      ),
    },
    {
      name: "courses list, deep pages",
      probes: perRole(() =>
        cycle([0.25, 0.5, 0.75, 0.99]).map((share) => ({
          route: listCoursesRoute as Route,
          path: `/api/courses?page=${Math.max(1, Math.floor(pages * share))}`,
        })),
      ),
    },
    {
      name: "courses search, title",
      probes: perRole(() =>
        cycle(TITLE_WORDS).map((q) => ({
          route: listCoursesRoute as Route,
          path: `/api/courses?q=${encodeURIComponent(q)}`,
        })),
      ),
    },
    {
      name: "courses search, key prefix",
      probes: perRole(() =>
        cycle(KEY_PREFIXES).map((q) => ({
          route: listCoursesRoute as Route,
          path: `/api/courses?q=${encodeURIComponent(q)}`,
        })),
      ),
    },
    {
      name: "courses, organization filter",
      probes: perRole(() =>
        cycle(["edX", "MITx", "harvardx"]).map((o, i) => ({
          route: listCoursesRoute as Route,
          path: `/api/courses?organization=${o}${i % 2 ? "&q=data" : ""}`,
        })),
      ),
    },
    {
      name: "course detail",
      probes: perRole((role) =>
        cycle(courseKeys[role]).map((key) => ({
          route: getCourseRoute as Route,
          path: `/api/courses/${encodeURIComponent(key)}`,
          params: { keyOrUuid: key },
        })),
      ),
    },
    {
      name: "operation history",
      probes: perRole(() =>
        cycle([
          "",
          "?status=completed",
          "?status=failed&sort=date_asc",
          "?type=course_update",
          "?uploader=chen",
          "?sort=status_asc&page=3",
          "?type=course_create&status=partially_completed",
          "?page=20&pageSize=50",
        ]).map((query) => ({ route: listOperationsRoute as Route, path: `/api/bulk-operations${query}` })),
      ),
    },
    {
      name: "operation detail",
      probes: perRole((role) =>
        opProbes(
          role,
          (id) => `/api/bulk-operations/${id}`,
          getOperationRoute as Route,
          () => "",
        ),
      ),
    },
    {
      name: "rows",
      probes: perRole((role) => opProbes(role, rowsPath, listRowsRoute as Route, (_, i) => `?page=${1 + (i % 5)}`)),
    },
    {
      name: "rows, status filter",
      probes: perRole((role) =>
        opProbes(
          role,
          rowsPath,
          listRowsRoute as Route,
          (_, i) => `?rowStatus=${["failed", "created", "updated", "pending", "unchanged"][i % 5]}`,
        ),
      ),
    },
    {
      name: "rows, error code filter",
      probes: perRole((role) =>
        opProbes(role, rowsPath, listRowsRoute as Route, (op, i) =>
          op.codes.length
            ? `?errorCode=${op.codes[i % op.codes.length]}${i % 2 ? "&rowStatus=failed" : ""}`
            : "?errorCode=UNKNOWN_ERROR",
        ),
      ),
    },
    {
      name: "rows, preview status filter",
      probes: perRole((role) =>
        opProbes(
          role,
          rowsPath,
          listRowsRoute as Route,
          (_, i) => `?previewStatus=${["failed", "updated", "created", "unchanged"][i % 4]}`,
        ),
      ),
    },
    {
      name: "rows, target key search",
      probes: perRole((role) =>
        opProbes(
          role,
          rowsPath,
          listRowsRoute as Route,
          (_, i) => `?q=${encodeURIComponent(["cs1", "edx+ma", "1t2025", "zzz", "harvardx+bio2"][i % 5])}`,
        ),
      ),
    },
    {
      name: "rows, deep pages",
      probes: perRole((role) =>
        opProbes(
          role,
          rowsPath,
          listRowsRoute as Route,
          (op, i) => `?page=${Math.max(1, Math.floor(op.lastPage * [0.5, 0.9, 1][i % 3]))}`,
        ),
      ),
    },
    {
      name: "users",
      probes: perRole(() =>
        cycle([
          ...USER_QUERIES.map((q) => `?q=${q}`),
          "",
          "?organization=MITx",
          "?page=40",
          "?organization=edX&q=a",
        ]).map((query) => ({
          route: listUsersRoute as Route,
          path: `/api/users${query}`,
        })),
      ),
      expected: { member: 403 },
    },
    {
      name: "error CSV, first rows",
      probes: perRole((role) =>
        opProbes(
          role,
          (id) => `/api/bulk-operations/${id}/errors.csv`,
          errorCsvRoute as Route,
          () => "",
        ).map((p) => ({ ...p, start: true })),
      ),
    },
  ];
}

/** An API token per role for the run; deleted afterwards. */
export async function createTokens(): Promise<{ tokens: Record<Role, string>; remove: () => Promise<void> }> {
  const ids: string[] = [];
  const tokens = {} as Record<Role, string>;
  for (const role of ["staff", "member"] as const) {
    const user = await db.user.findUniqueOrThrow({ where: { email: ROLE_EMAILS[role] }, select: { id: true } });
    const created = await createApiToken({
      userId: user.id,
      name: `bench --reads ${new Date().toISOString()}`,
      expiresInDays: 1,
    });
    ids.push(created.id);
    tokens[role] = created.token;
  }
  return { tokens, remove: async () => void (await db.apiToken.deleteMany({ where: { id: { in: ids } } })) };
}

async function call(probe: Probe, token: string): Promise<{ ms: number; status: number }> {
  const request = new Request(`http://bench.local${probe.path}`, { headers: { authorization: `Bearer ${token}` } });
  const started = performance.now();
  const response = await probe.route(request, { params: Promise.resolve(probe.params ?? {}) as Promise<never> });
  if (probe.start && response.ok && response.body) {
    const reader = response.body.getReader();
    if (!(await reader.read()).done) {
      await reader.read();
    }
    const ms = performance.now() - started;
    await reader.cancel();
    return { ms, status: response.status };
  }
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

/** Nearest-rank percentile. */
function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Each endpoint and role: `warmup` untimed requests, then one timed request per probe, one at a time. */
export async function measure(
  endpoints: Endpoint[],
  tokens: Record<Role, string>,
  { warmup, log }: { warmup: number; log: (message: string) => void },
): Promise<Timing[]> {
  const timings: Timing[] = [];
  for (const endpoint of endpoints) {
    for (const role of ["staff", "member"] as const) {
      const probes = endpoint.probes[role];
      const expected = endpoint.expected?.[role] ?? 200;
      for (const probe of probes.slice(0, warmup)) {
        await call(probe, tokens[role]);
      }
      const times: number[] = [];
      const failures: string[] = [];
      for (const probe of probes) {
        const { ms, status } = await call(probe, tokens[role]);
        times.push(ms);
        if (status !== expected) {
          failures.push(`${probe.path} → ${status}`);
        }
      }
      times.sort((a, b) => a - b);
      const timing = {
        endpoint: endpoint.name,
        role,
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        max: times[times.length - 1],
        requests: times.length,
        failures,
      };
      log(`${endpoint.name} (${role}): p50 ${timing.p50.toFixed(0)} ms, p95 ${timing.p95.toFixed(0)} ms`);
      timings.push(timing);
    }
  }
  return timings;
}
