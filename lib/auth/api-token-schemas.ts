import { z } from "zod";

// No server imports: the API tokens page validates with these schemas in the browser before posting.

/** The expiries the page offers, in days. */
export const API_TOKEN_EXPIRY_CHOICES = [7, 30, 90, 365] as const;
export const DEFAULT_API_TOKEN_EXPIRY_DAYS = 90;
/** Every token expires: a forgotten one stops working within a year. */
export const MAX_API_TOKEN_EXPIRY_DAYS = 365;

const EXPIRY_MESSAGE = `Expiry must be a whole number of days from 1 to ${MAX_API_TOKEN_EXPIRY_DAYS}`;

/** `POST /api/tokens`, the "New token" form and `npm run token`. Unknown keys are refused (no `neverExpires`). */
export const createApiTokenSchema = z.strictObject({
  name: z
    .string({ error: (issue) => (issue.input === undefined ? "Name is required" : "Name must be text") })
    .trim()
    .min(1, "Name is required")
    .max(100, "Name must be at most 100 characters"),
  expiresInDays: z
    .number({ error: EXPIRY_MESSAGE })
    .int(EXPIRY_MESSAGE)
    .min(1, EXPIRY_MESSAGE)
    .max(MAX_API_TOKEN_EXPIRY_DAYS, EXPIRY_MESSAGE)
    .default(DEFAULT_API_TOKEN_EXPIRY_DAYS),
});

export type CreateApiTokenValues = z.input<typeof createApiTokenSchema>;

/** Query string of the token list; malformed values are dropped. */
export const listApiTokensQuery = z.object({
  page: z.coerce.number().int().min(1).catch(1),
  pageSize: z.coerce.number().int().min(1).max(100).catch(50),
});

export type ApiTokenStatus = "active" | "expired" | "revoked";

/** A token as its owner sees it listed: never the secret, never its hash. Times are ISO 8601 UTC. */
export type ApiTokenSummary = {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: ApiTokenStatus;
};

/** What creating a token answers, the one time the secret is shown. */
export type CreatedApiToken = { id: string; name: string; token: string; expiresAt: string };
