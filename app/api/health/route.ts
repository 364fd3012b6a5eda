import { checkHealth } from "@/lib/health/check-health";

// Always evaluated per request: a cached answer would hide an outage.
export const dynamic = "force-dynamic";

// GET /api/health – for load balancers, no authentication: 200 { status: "ok", checks } when the database
// answers, migrations are applied and a job backend is ready; otherwise 503 with the reasons. Never a 500.
export async function GET() {
  let report;
  try {
    report = await checkHealth();
  } catch {
    report = {
      status: "unavailable" as const,
      checks: {},
      reasons: ["health check failed unexpectedly (see the server log)"],
    };
  }
  return Response.json(report, {
    status: report.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
