import type { Metadata } from "next";
import { AuthError } from "next-auth";
import Link from "next/link";
import { redirect } from "next/navigation";
import { z } from "zod";

import { signIn } from "@/lib/auth";
import { EMAIL_PROVIDER_ID, OIDC_PROVIDER_ID, oidcEnabled } from "@/lib/auth/config";
import { getActingUser } from "@/lib/auth/require-user";
import { sameOriginPath } from "@/lib/auth/safe-redirect";
import { SIGN_IN_EMAIL_LIMITS } from "@/lib/auth/sign-in-email-limit";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

const ERROR_MESSAGES: Record<string, string> = {
  InvalidEmail: "Enter a valid email address.",
  AccessDenied: "This account cannot sign in here. Ask a staff member to add you.",
  Verification: "That sign-in link has expired or was already used. Request a new one below.",
  Configuration: "Sign-in is not working on the server right now; the error was logged.",
};

/** Only pages of this app, so the sign-in form cannot be used to send anyone elsewhere. */
function safeCallbackUrl(value: unknown) {
  return sameOriginPath(value, env().APP_URL) ?? "/";
}

/** A refused sign-in email names the wait, which lib/auth/config.ts puts in the redirect. */
function errorMessage(error: string, retryMinutes: unknown) {
  const minutes = Number(retryMinutes);
  const wait =
    Number.isInteger(minutes) && minutes >= 1 && minutes <= SIGN_IN_EMAIL_LIMITS.windowMinutes
      ? `try again in ${minutes} minute${minutes === 1 ? "" : "s"}`
      : "try again later";
  if (error === "EmailLimitForAddress") {
    return `Too many sign-in emails requested for this address; ${wait}.`;
  }
  if (error === "EmailLimitForClient") {
    return `Too many sign-in emails requested from your network; ${wait}.`;
  }
  return ERROR_MESSAGES[error] ?? "Sign-in failed. Try again, or ask a staff member.";
}

async function signInWithEmail(formData: FormData) {
  "use server";
  const redirectTo = safeCallbackUrl(formData.get("callbackUrl"));
  const email = z.email().safeParse(String(formData.get("email") ?? "").trim());
  if (!email.success) {
    redirect(`/signin?${new URLSearchParams({ error: "InvalidEmail", callbackUrl: redirectTo })}`);
  }
  try {
    await signIn(EMAIL_PROVIDER_ID, { email: email.data, redirectTo });
  } catch (error) {
    // signIn ends in a redirect, which Next implements by throwing; only Auth.js errors are ours to handle.
    if (error instanceof AuthError) {
      redirect(`/signin?${new URLSearchParams({ error: error.type, callbackUrl: redirectTo })}`);
    }
    throw error;
  }
}

async function signInWithOidc(formData: FormData) {
  "use server";
  await signIn(OIDC_PROVIDER_ID, { redirectTo: safeCallbackUrl(formData.get("callbackUrl")) });
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{
    error?: string | string[];
    callbackUrl?: string | string[];
    retryMinutes?: string | string[];
  }>;
}) {
  const { error, callbackUrl, retryMinutes } = await searchParams;
  const redirectTo = safeCallbackUrl(callbackUrl);
  const user = await getActingUser();
  const message = typeof error === "string" ? errorMessage(error, retryMinutes) : null;

  return (
    <section className="card submit-form" style={{ maxWidth: "28rem", margin: "2rem auto" }}>
      <h1>Sign in</h1>
      {message && (
        <p className="alert alert-error" role="alert">
          {message}
        </p>
      )}
      {user && (
        // No automatic redirect: a signed-in user without access would bounce between here and the page they came from.
        <p className="alert alert-info">
          You are signed in as {user.email}. <Link href={redirectTo}>Continue</Link>
        </p>
      )}
      <form action={signInWithEmail} className="submit-form">
        <input type="hidden" name="callbackUrl" value={redirectTo} />
        <div className="form-row">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="email" required autoFocus />
        </div>
        <button type="submit" className="btn btn-primary">
          Email me a sign-in link
        </button>
      </form>
      {oidcEnabled() && (
        <form action={signInWithOidc}>
          <input type="hidden" name="callbackUrl" value={redirectTo} />
          <button type="submit" className="btn">
            Sign in with {env().OIDC_NAME}
          </button>
        </form>
      )}
    </section>
  );
}
