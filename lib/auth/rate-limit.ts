import "server-only";

import { db } from "@/lib/db";

/** At most `limit` hits per `key` of `bucket` within the window. */
export type RateLimitRule = { bucket: string; key: string; limit: number };

export type RateLimitResult = { allowed: true } | { allowed: false; rule: RateLimitRule; retryAfterMs: number };

/**
 * Records one hit for every rule when all of them are under their limit within `windowMs`; otherwise records
 * nothing (so refused requests never push the wait further out) and names the first full rule. Hits live in
 * RateLimitHit, so the limit holds across app instances; per-key advisory locks make concurrent requests for
 * one key take turns. Hits older than the window are deleted on the way.
 */
export async function rateLimit(rules: RateLimitRule[], windowMs: number): Promise<RateLimitResult> {
  return db.$transaction(async (tx) => {
    // Locked in the rules' order, which callers keep fixed, so two requests never wait for each other crosswise.
    for (const { bucket, key } of rules) {
      await tx.$queryRawUnsafe(
        `SELECT 1 AS "locked" FROM pg_advisory_xact_lock(hashtextextended('rate-limit:' || $1 || ':' || $2, 0))`,
        bucket,
        key,
      );
    }
    const now = new Date();
    const since = new Date(now.getTime() - windowMs);
    for (const rule of rules) {
      const where = { bucket: rule.bucket, key: rule.key };
      await tx.rateLimitHit.deleteMany({ where: { ...where, createdAt: { lt: since } } });
      const recent = await tx.rateLimitHit.aggregate({ where, _count: true, _min: { createdAt: true } });
      if (recent._count >= rule.limit && recent._min.createdAt) {
        return { allowed: false, rule, retryAfterMs: recent._min.createdAt.getTime() + windowMs - now.getTime() };
      }
    }
    await tx.rateLimitHit.createMany({ data: rules.map(({ bucket, key }) => ({ bucket, key, createdAt: now })) });
    return { allowed: true };
  });
}

/** Forgets every hit of one key, as if it had never been counted. */
export async function resetRateLimit({ bucket, key }: Pick<RateLimitRule, "bucket" | "key">) {
  await db.rateLimitHit.deleteMany({ where: { bucket, key } });
}
