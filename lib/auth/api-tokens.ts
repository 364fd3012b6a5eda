import "server-only";

import { createHash, randomBytes } from "node:crypto";

import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { isUuid } from "@/lib/ids";

import {
  type ApiTokenStatus,
  type ApiTokenSummary,
  type CreateApiTokenValues,
  type CreatedApiToken,
  createApiTokenSchema,
} from "./api-token-schemas";

const TOKEN_PREFIX = "cbo_";
// 32 random bytes in base64url are 43 characters.
const TOKEN_PATTERN = /^cbo_[A-Za-z0-9_-]{43}$/;
// Scripts poll the API; recording every single use would turn each read into a write.
const LAST_USED_RESOLUTION_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Unrevoked, unexpired tokens one user may hold: enough for every script, few enough to review. */
export const MAX_LIVE_API_TOKENS = 50;

const summarySelect = {
  id: true,
  name: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} satisfies Prisma.ApiTokenSelect;

type TokenRow = Prisma.ApiTokenGetPayload<{ select: typeof summarySelect }>;

function hashToken(plaintext: string) {
  return createHash("sha256").update(plaintext).digest("hex");
}

function statusOf(token: Pick<TokenRow, "expiresAt" | "revokedAt">, now: Date): ApiTokenStatus {
  if (token.revokedAt) {
    return "revoked";
  }
  // Tokens made before expiry existed have none; they stay valid until revoked.
  return token.expiresAt && token.expiresAt <= now ? "expired" : "active";
}

function toSummary(token: TokenRow, now = new Date()): ApiTokenSummary {
  return {
    id: token.id,
    name: token.name,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    status: statusOf(token, now),
  };
}

function liveTokensOf(userId: string, now: Date): Prisma.ApiTokenWhereInput {
  return { userId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

export type CreateApiTokenOptions = CreateApiTokenValues & {
  /** The owner: the token acts as this user. */
  userId: string;
};

/**
 * Creates a personal API token expiring after `expiresInDays` (90 by default); the plaintext is returned
 * here once and never stored. Refused (409) when the user already holds the most live tokens allowed.
 */
export async function createApiToken({ userId, ...input }: CreateApiTokenOptions): Promise<CreatedApiToken> {
  const { name, expiresInDays } = createApiTokenSchema.parse(input);
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return db.$transaction(async (tx) => {
    // One creation per user at a time, so that concurrent requests cannot pass the limit together.
    await tx.$queryRaw`SELECT 1 FROM "User" WHERE id = ${userId} FOR NO KEY UPDATE`;
    const now = new Date();
    const live = await tx.apiToken.count({ where: liveTokensOf(userId, now) });
    if (live >= MAX_LIVE_API_TOKENS) {
      throw new AppError("CONFLICT", {
        userMessage: `You already have ${live} active API tokens, the most allowed; revoke one you no longer use first.`,
      });
    }
    const created = await tx.apiToken.create({
      data: { userId, name, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + expiresInDays * DAY_MS) },
      select: { id: true, name: true, expiresAt: true },
    });
    return { id: created.id, name: created.name, token, expiresAt: created.expiresAt!.toISOString() };
  });
}

/** The owner of a live (unrevoked, unexpired) token, or null. */
export async function findUserByApiToken(plaintext: string) {
  if (!TOKEN_PATTERN.test(plaintext)) {
    return null;
  }
  const apiToken = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(plaintext) },
    include: { user: true },
  });
  const now = new Date();
  if (!apiToken || statusOf(apiToken, now) !== "active") {
    return null;
  }
  if (!apiToken.lastUsedAt || now.getTime() - apiToken.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: apiToken.id }, data: { lastUsedAt: now } });
  }
  return apiToken.user;
}

/** The user's own tokens, newest first, active, expired and revoked alike. */
export async function listApiTokens({
  userId,
  page,
  pageSize,
}: {
  userId: string;
  page: number;
  pageSize: number;
}): Promise<{ items: ApiTokenSummary[]; total: number; page: number; pageSize: number }> {
  const [tokens, total] = await Promise.all([
    db.apiToken.findMany({
      where: { userId },
      select: summarySelect,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    db.apiToken.count({ where: { userId } }),
  ]);
  const now = new Date();
  return { items: tokens.map((t) => toSummary(t, now)), total, page, pageSize };
}

/** Revokes one of the user's tokens and returns it; revoking an already revoked token changes nothing. */
export async function revokeApiToken({
  userId,
  tokenId,
}: {
  userId: string;
  tokenId: string;
}): Promise<ApiTokenSummary> {
  const notFound = new AppError("NOT_FOUND", { userMessage: "No such API token." });
  if (!isUuid(tokenId)) {
    throw notFound;
  }
  // Conditional, so that a second revocation keeps the first one's time.
  await db.apiToken.updateMany({ where: { id: tokenId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  const token = await db.apiToken.findFirst({ where: { id: tokenId, userId }, select: summarySelect });
  if (!token) {
    throw notFound;
  }
  return toSummary(token);
}

/**
 * Tokens are created with the browser session (or `npm run token`), never with a token: a leaked token
 * that could mint others would outlive its own revocation. A request carrying `Authorization` was
 * authenticated by its token (`getActingUser` never falls back to the cookie).
 */
export function assertSessionRequest(request: Request) {
  if (request.headers.has("authorization")) {
    throw new AppError("FORBIDDEN", {
      userMessage:
        "API tokens are created with a browser session (the API tokens page) or `npm run token`, not with a token.",
    });
  }
}
