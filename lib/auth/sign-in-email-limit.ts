import "server-only";

import { rateLimit, resetRateLimit } from "./rate-limit";

const WINDOW_MINUTES = 15;
const ADDRESS_BUCKET = "sign-in-email:address";
const CLIENT_BUCKET = "sign-in-email:client";

/**
 * Sign-in emails per address and per client (see clientAddress) in any 15 minutes. An address's count starts
 * again when its owner signs in, so only unused links add up to a refusal.
 */
export const SIGN_IN_EMAIL_LIMITS = { perAddress: 5, perClient: 30, windowMinutes: WINDOW_MINUTES };

/** The sign-in page's error code and how long to wait. */
export type SignInEmailRefusal = { error: "EmailLimitForAddress" | "EmailLimitForClient"; retryMinutes: number };

/**
 * Counts one request for a sign-in email, or refuses it. Called before the address is looked up, so the
 * count and the refusal are the same whether or not the address has an account.
 */
export async function claimSignInEmail({
  email,
  client,
}: {
  email: string;
  client: string;
}): Promise<SignInEmailRefusal | null> {
  const result = await rateLimit(
    [
      { bucket: ADDRESS_BUCKET, key: email, limit: SIGN_IN_EMAIL_LIMITS.perAddress },
      { bucket: CLIENT_BUCKET, key: client, limit: SIGN_IN_EMAIL_LIMITS.perClient },
    ],
    WINDOW_MINUTES * 60_000,
  );
  if (result.allowed) {
    return null;
  }
  return {
    error: result.rule.bucket === ADDRESS_BUCKET ? "EmailLimitForAddress" : "EmailLimitForClient",
    retryMinutes: Math.max(1, Math.ceil(result.retryAfterMs / 60_000)),
  };
}

/** Called when a magic link has signed its address in: someone who reads that mailbox asked for the emails. */
export async function forgetSignInEmails(email: string) {
  await resetRateLimit({ bucket: ADDRESS_BUCKET, key: email });
}
