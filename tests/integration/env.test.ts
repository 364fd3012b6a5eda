import { describe, expect, it } from "vitest";

import { describeEnvironmentProblems, type EnvironmentCheck, validateEnvironment } from "@/lib/env";

// A complete production configuration; each test breaks one part of it.
const production = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://catalog:secret@db.internal:5432/catalog",
  AUTH_SECRET: "k".repeat(44),
  APP_URL: "https://catalog.example.org",
  RESEND_API_KEY: "re_123",
  EMAIL_FROM: "Catalog <bulk@example.org>",
};

function problemsOf(check: EnvironmentCheck) {
  expect(check.ok).toBe(false);
  return check.ok ? {} : Object.fromEntries(check.problems.map((p) => [p.variable, p.message]));
}

describe("validateEnvironment", () => {
  it("accepts a complete production configuration", () => {
    const check = validateEnvironment(production);
    expect(check).toMatchObject({ ok: true, production: true, warnings: [] });
  });

  it("names a missing AUTH_SECRET in production, and every other missing variable with it", () => {
    const { AUTH_SECRET: _secret, APP_URL: _url, ...rest } = production;
    const check = validateEnvironment(rest);
    expect(Object.keys(problemsOf(check)).sort()).toEqual(["APP_URL", "AUTH_SECRET"]);
    expect(problemsOf(check).AUTH_SECRET).toMatch(/required in production/);
    const message = describeEnvironmentProblems(check.ok ? [] : check.problems, true);
    expect(message).toMatch(/AUTH_SECRET is required in production/);
    expect(message).toMatch(/APP_URL is required in production/);
  });

  it("rejects a short AUTH_SECRET and treats a blank one as missing", () => {
    expect(problemsOf(validateEnvironment({ ...production, AUTH_SECRET: "x" })).AUTH_SECRET).toMatch(/too short/);
    expect(problemsOf(validateEnvironment({ ...production, AUTH_SECRET: "  " })).AUTH_SECRET).toMatch(/required/);
  });

  it("names a malformed or missing DATABASE_URL in every mode, without echoing its value", () => {
    for (const NODE_ENV of ["production", "development", "test"]) {
      const malformed = validateEnvironment({
        ...production,
        NODE_ENV,
        DATABASE_URL: "mysql://root:hunter2@db/catalog",
      });
      expect(problemsOf(malformed)).toEqual({ DATABASE_URL: expect.stringMatching(/must be a postgresql:\/\/ URL/) });
      expect(describeEnvironmentProblems(malformed.ok ? [] : malformed.problems, false)).not.toContain("hunter2");
      expect(
        problemsOf(validateEnvironment({ ...production, NODE_ENV, DATABASE_URL: "not a url" })).DATABASE_URL,
      ).toMatch(/postgresql/);
      const { DATABASE_URL: _url, ...rest } = production;
      expect(problemsOf(validateEnvironment({ ...rest, NODE_ENV })).DATABASE_URL).toMatch(/is required/);
    }
  });

  it("names each missing OIDC variable when only some are set", () => {
    const problems = problemsOf(validateEnvironment({ ...production, OIDC_ISSUER: "https://login.example.org" }));
    expect(Object.keys(problems).sort()).toEqual(["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"]);
    expect(problems.OIDC_CLIENT_SECRET).toMatch(/because OIDC_ISSUER is set/);
    expect(
      validateEnvironment({
        ...production,
        OIDC_ISSUER: "https://login.example.org",
        OIDC_CLIENT_ID: "id",
        OIDC_CLIENT_SECRET: "s",
      }).ok,
    ).toBe(true);
    expect(
      problemsOf(
        validateEnvironment({
          ...production,
          OIDC_ISSUER: "login.example.org",
          OIDC_CLIENT_ID: "id",
          OIDC_CLIENT_SECRET: "s",
        }),
      ),
    ).toEqual({ OIDC_ISSUER: expect.stringMatching(/https/) });
  });

  it("keeps Resend and its sender together", () => {
    const { RESEND_API_KEY: _key, EMAIL_FROM: _from, ...noEmail } = production;
    expect(problemsOf(validateEnvironment({ ...production, EMAIL_FROM: undefined }))).toEqual({
      EMAIL_FROM: expect.stringMatching(/required with RESEND_API_KEY/),
    });
    expect(problemsOf(validateEnvironment({ ...production, EMAIL_FROM: "nobody" }))).toEqual({
      EMAIL_FROM: expect.any(String),
    });
    expect(problemsOf(validateEnvironment({ ...production, RESEND_API_KEY: "" }))).toEqual({
      RESEND_API_KEY: expect.stringMatching(/EMAIL_FROM is set/),
    });
    // Neither: nobody could receive a sign-in link, unless single sign-on is configured.
    expect(problemsOf(validateEnvironment(noEmail))).toEqual({
      RESEND_API_KEY: expect.stringMatching(/required in production/),
    });
    const withSso = validateEnvironment({
      ...noEmail,
      OIDC_ISSUER: "https://login.example.org",
      OIDC_CLIENT_ID: "id",
      OIDC_CLIENT_SECRET: "s",
    });
    expect(withSso).toMatchObject({ ok: true, warnings: [{ variable: "RESEND_API_KEY" }] });
  });

  it("requires the Inngest signing key with the event key, and refuses the dev mode in production", () => {
    expect(problemsOf(validateEnvironment({ ...production, INNGEST_EVENT_KEY: "evt" }))).toEqual({
      INNGEST_SIGNING_KEY: expect.stringMatching(/because INNGEST_EVENT_KEY is set/),
    });
    expect(
      validateEnvironment({ ...production, INNGEST_EVENT_KEY: "evt", INNGEST_SIGNING_KEY: "signkey-prod-abc" }).ok,
    ).toBe(true);
    expect(problemsOf(validateEnvironment({ ...production, INNGEST_SIGNING_KEY: "signkey-prod-abc" }))).toEqual({
      INNGEST_EVENT_KEY: expect.any(String),
    });
    expect(problemsOf(validateEnvironment({ ...production, INNGEST_DEV: "1" }))).toEqual({
      INNGEST_DEV: expect.any(String),
    });
    expect(problemsOf(validateEnvironment({ ...production, INNGEST_BASE_URL: "inngest.internal" }))).toEqual({
      INNGEST_BASE_URL: expect.any(String),
    });
  });

  it("names malformed numbers, levels and URLs", () => {
    const problems = problemsOf(
      validateEnvironment({
        ...production,
        APP_URL: "catalog.example.org",
        JOB_LEASE_SECONDS: "1",
        MAX_UPLOAD_BYTES: "lots",
        LOG_LEVEL: "verbose",
      }),
    );
    expect(Object.keys(problems).sort()).toEqual(["APP_URL", "JOB_LEASE_SECONDS", "LOG_LEVEL", "MAX_UPLOAD_BYTES"]);
  });

  it("accepts the embedded default and development with nothing but a database", () => {
    // `npm start` runs `next start` (NODE_ENV=production) with BULKOPS_EMBEDDED=1 and a generated secret.
    const embedded = validateEnvironment({
      NODE_ENV: "production",
      BULKOPS_EMBEDDED: "1",
      DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:5433/postgres",
    });
    expect(embedded).toMatchObject({ ok: true, production: false });
    for (const NODE_ENV of ["development", "test", undefined]) {
      const check = validateEnvironment({ NODE_ENV, DATABASE_URL: "postgres://postgres@localhost/catalog" });
      expect(check).toMatchObject({ ok: true, production: false });
      expect(check.ok && check.env).toMatchObject({
        APP_URL: "http://localhost:3000",
        JOB_LEASE_SECONDS: 30,
        LOG_LEVEL: "info",
      });
    }
    // `next build` runs without runtime secrets.
    expect(
      validateEnvironment({
        NODE_ENV: "production",
        NEXT_PHASE: "phase-production-build",
        DATABASE_URL: "postgresql://h/db",
      }).ok,
    ).toBe(true);
    // A socket connection has no host in the authority.
    expect(
      validateEnvironment({ NODE_ENV: "development", DATABASE_URL: "postgresql:///catalog?host=/var/run/postgresql" })
        .ok,
    ).toBe(true);
  });
});
