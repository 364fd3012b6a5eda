import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";

describe("seed", () => {
  it("creates the four course types with the run types upstream allows", async () => {
    const courseTypes = await db.courseType.findMany({
      include: { allowedRunTypes: { select: { name: true } } },
      orderBy: { slug: "asc" },
    });
    const summary = Object.fromEntries(
      courseTypes.map((t) => [
        t.name,
        { entitlement: t.entitlementSeatType, runTypes: t.allowedRunTypes.map((r) => r.name).sort() },
      ]),
    );
    expect(summary).toEqual({
      "Audit Only": { entitlement: null, runTypes: ["Audit Only"] },
      "Verified and Audit": { entitlement: "verified", runTypes: ["Audit Only", "Verified and Audit"] },
      "Professional Only": { entitlement: "professional", runTypes: ["Professional Only"] },
      Credit: { entitlement: "verified", runTypes: ["Audit Only", "Credit", "Verified and Audit"] },
    });
  });

  it("gives each run type its seats", async () => {
    const runTypes = await db.courseRunType.findMany();
    expect(Object.fromEntries(runTypes.map((t) => [t.slug, t.seatTypes]))).toEqual({
      audit: ["audit"],
      "verified-audit": ["audit", "verified"],
      professional: ["professional"],
      credit: ["audit", "verified", "credit"],
    });
  });

  it("creates level types, subjects, language tags and program types", async () => {
    const [levels, subjects, tags, programTypes] = await Promise.all([
      db.levelType.findMany(),
      db.subject.findMany(),
      db.languageTag.findMany(),
      db.programType.findMany(),
    ]);
    expect(levels.map((l) => l.name).sort()).toEqual(["Advanced", "Intermediate", "Introductory"]);
    expect(subjects.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        "Computer Science",
        "Mathematics",
        "Business & Management",
        "Data Analysis & Statistics",
        "Engineering",
        "Humanities",
        "Science",
        "Language",
      ]),
    );
    expect(tags).toContainEqual({ code: "en-us", name: "English - United States" });
    expect(tags.map((t) => t.code)).toEqual(
      expect.arrayContaining(["en-gb", "es-es", "es-419", "fr-fr", "de-de", "pt-br", "zh-cn", "ar", "hi"]),
    );
    expect(programTypes.map((p) => p.slug).sort()).toEqual(
      [
        "xseries",
        "micromasters",
        "professional-certificate",
        "masters",
        "bachelors",
        "doctorate",
        "license",
        "certificate",
        "microbachelors",
        "professional-program-wl",
      ].sort(),
    );
  });

  it("creates the demo organizations, users and courses", async () => {
    const orgs = await db.organization.findMany({ where: { key: { in: ["edX", "MITx", "HarvardX"] } } });
    expect(orgs).toHaveLength(3);

    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    expect(admin).toMatchObject({ username: "admin", isStaff: true });

    const coordinator = await db.user.findUniqueOrThrow({
      where: { email: "coordinator@example.com" },
      include: { memberships: { include: { organization: true } } },
    });
    expect(coordinator.memberships.map((m) => [m.organization.key, m.role])).toEqual([["edX", "coordinator"]]);

    const noRole = await db.user.findUniqueOrThrow({
      where: { email: "norole@example.com" },
      include: { memberships: true },
    });
    expect(noRole).toMatchObject({ isStaff: false, memberships: [] });

    const run = await db.courseRun.findUniqueOrThrow({
      where: { key: "course-v1:edX+DemoX+1T2026" },
      include: { seats: true, course: { include: { editors: true } } },
    });
    expect(run.seats.map((s) => s.type).sort()).toEqual(["audit", "verified"]);
    expect(run.course.editors.map((e) => e.userId)).toContain(coordinator.id);
  });
});
