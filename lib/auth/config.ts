import "server-only";

import type { NextAuthConfig } from "next-auth";
import type { EmailConfig, OIDCConfig } from "next-auth/providers";
import { createElement } from "react";

import { sendEmail } from "@/lib/email/send";
import { MagicLinkEmail } from "@/lib/email/templates/magic-link";
import { env, type ServerEnv } from "@/lib/env";

import { authAdapter, hasAccount } from "./adapter";
import { clientAddress } from "./client-address";
import { sameOriginPath } from "./safe-redirect";
import { claimSignInEmail, forgetSignInEmails } from "./sign-in-email-limit";

export const EMAIL_PROVIDER_ID = "email";
export const OIDC_PROVIDER_ID = "oidc";

// Only outside production, so a fresh checkout signs in without any configuration.
const DEV_AUTH_SECRET = "catalog-bulk-ops-development-secret-not-for-production";

/** Single sign-on is offered only when all three OIDC variables are set. */
export function oidcEnabled(e: ServerEnv = env()) {
  return Boolean(e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET);
}

function authSecret(e: ServerEnv) {
  if (e.AUTH_SECRET) {
    return e.AUTH_SECRET;
  }
  if (e.NODE_ENV === "production") {
    throw new Error("AUTH_SECRET must be set in production (generate one with `openssl rand -base64 33`)");
  }
  return DEV_AUTH_SECRET;
}

function emailProvider(e: ServerEnv): EmailConfig {
  return {
    id: EMAIL_PROVIDER_ID,
    type: "email",
    name: "Email",
    maxAge: 24 * 60 * 60,
    async sendVerificationRequest({ identifier, url }) {
      // Auth.js answers every address alike; only an account's gets the email (authAdapter stores no link either).
      if (!(await hasAccount(identifier))) {
        return;
      }
      const { host } = new URL(e.APP_URL);
      await sendEmail({
        to: identifier,
        subject: `Sign in to ${host}`,
        react: createElement(MagicLinkEmail, { url, host }),
      });
    },
  };
}

function oidcProvider(e: ServerEnv): OIDCConfig<Record<string, unknown>> {
  return {
    id: OIDC_PROVIDER_ID,
    type: "oidc",
    name: e.OIDC_NAME,
    issuer: e.OIDC_ISSUER,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    // Staff create users before their first sign-in, so the identity provider's account has to attach to
    // the existing user with the same email; the signIn callback also requires that email to be verified.
    allowDangerousEmailAccountLinking: true,
  };
}

// No account has a longer address (lib/users/schemas.ts).
const MAX_EMAIL_LENGTH = 254;

/**
 * Auth.js's "check your email" (true) or the sign-in page with the reason, for a request for a sign-in email.
 * Decided before the address is looked up: neither the limit nor the answer tells which addresses have accounts.
 */
async function answerEmailRequest(address: string, client: string): Promise<true | string> {
  if (address.length > MAX_EMAIL_LENGTH) {
    return "/signin?error=InvalidEmail";
  }
  const refusal = await claimSignInEmail({ email: address, client });
  return refusal
    ? `/signin?${new URLSearchParams({ error: refusal.error, retryMinutes: String(refusal.retryMinutes) })}`
    : true;
}

/** Some providers send the claim as a string. */
function emailVerified(claim: unknown) {
  return claim === true || claim === "true";
}

/**
 * Built per request (Auth.js lazy initialisation) so that importing this module never reads the environment.
 * `requestHeaders` are the sign-in request's, for the per-client email limit.
 */
export function authConfig(requestHeaders: Pick<Headers, "get">): NextAuthConfig {
  const e = env();
  return {
    adapter: authAdapter(),
    session: { strategy: "database" },
    secret: authSecret(e),
    basePath: "/api/auth",
    // Auth.js builds its URLs from AUTH_URL, which lib/auth/index.ts sets from APP_URL: the Host and
    // X-Forwarded-Host headers never choose where links and redirects point.
    trustHost: true,
    providers: oidcEnabled(e) ? [emailProvider(e), oidcProvider(e)] : [emailProvider(e)],
    pages: { signIn: "/signin", verifyRequest: "/signin/verify", error: "/signin" },
    events: {
      async signIn({ user, account }) {
        if (account?.provider === EMAIL_PROVIDER_ID && user.email) {
          await forgetSignInEmails(user.email);
        }
      },
    },
    callbacks: {
      // Accounts are created by staff or the seed; signing in must never create one.
      async signIn({ user, account, profile, email }) {
        if (email?.verificationRequest && user.email) {
          return answerEmailRequest(
            user.email,
            clientAddress(requestHeaders.get("x-forwarded-for"), e.TRUSTED_PROXIES),
          );
        }
        const address = user.email ?? profile?.email;
        if (!address || !(await hasAccount(address))) {
          return false;
        }
        // The provider's account attaches to our user by email, so that email must be one the provider checked.
        return account?.type === "oidc" ? emailVerified(profile?.email_verified) : true;
      },
      // Only pages of this app, whatever origin the request claimed (Auth.js passes it as baseUrl).
      redirect({ url }) {
        return new URL(sameOriginPath(url, e.APP_URL) ?? "/", e.APP_URL).href;
      },
      // The default callback drops the id, which getActingUser needs.
      session({ session, user }) {
        return {
          expires: session.expires,
          user: { id: user.id, name: user.name, email: user.email, image: user.image },
        };
      },
    },
  };
}
