import "server-only";

import { createHash, randomBytes } from "node:crypto";

import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

const TOKEN_PREFIX = "cbo_";
// 32 random bytes in base64url are 43 characters.
const TOKEN_PATTERN = /^cbo_[A-Za-z0-9_-]{43}$/;
// Scripts poll the API; recording every single use would turn each read into a write.
const LAST_USED_RESOLUTION_MS = 60_000;

function hashToken(plaintext: string) {
  return createHash("sha256").update(plaintext).digest("hex");
}

/** Creates a personal API token; the plaintext is returned here once and never stored. */
export async function createApiToken({ userId, name }: { userId: string; name: string }) {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const { id } = await db.apiToken.create({
    data: { userId, name, tokenHash: hashToken(token) },
    select: { id: true },
  });
  return { id, token };
}

/** The owner of a live (unrevoked) token, or null. */
export async function findUserByApiToken(plaintext: string) {
  if (!TOKEN_PATTERN.test(plaintext)) {
    return null;
  }
  const apiToken = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(plaintext) },
    include: { user: true },
  });
  if (!apiToken || apiToken.revokedAt) {
    return null;
  }
  const now = new Date();
  if (!apiToken.lastUsedAt || now.getTime() - apiToken.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: apiToken.id }, data: { lastUsedAt: now } });
  }
  return apiToken.user;
}

/** Revokes one of the user's tokens; revoking an already revoked token is a no-op. */
export async function revokeApiToken({ userId, tokenId }: { userId: string; tokenId: string }) {
  const apiToken = await db.apiToken.findFirst({ where: { id: tokenId, userId }, select: { revokedAt: true } });
  if (!apiToken) {
    throw new AppError("NOT_FOUND", { userMessage: "No such API token." });
  }
  if (!apiToken.revokedAt) {
    await db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
  }
}
