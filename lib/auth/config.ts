import "server-only";

import { PrismaAdapter } from "@auth/prisma-adapter";
import type { NextAuthConfig } from "next-auth";
import type { EmailConfig, OIDCConfig } from "next-auth/providers";
import { createElement } from "react";

import { db } from "@/lib/db";
import { sendEmail } from "@/lib/email/send";
import { MagicLinkEmail } from "@/lib/email/templates/magic-link";
import { env, type ServerEnv } from "@/lib/env";

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

const emailProvider: EmailConfig = {
  id: EMAIL_PROVIDER_ID,
  type: "email",
  name: "Email",
  maxAge: 24 * 60 * 60,
  async sendVerificationRequest({ identifier, url }) {
    const { host } = new URL(url);
    await sendEmail({
      to: identifier,
      subject: `Sign in to ${host}`,
      react: createElement(MagicLinkEmail, { url, host }),
    });
  },
};

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

/** Built per request (Auth.js lazy initialisation) so that importing this module never reads the environment. */
export function authConfig(): NextAuthConfig {
  const e = env();
  return {
    adapter: PrismaAdapter(db),
    session: { strategy: "database" },
    secret: authSecret(e),
    trustHost: true,
    providers: oidcEnabled(e) ? [emailProvider, oidcProvider(e)] : [emailProvider],
    pages: { signIn: "/signin", verifyRequest: "/signin/verify", error: "/signin" },
    callbacks: {
      // Accounts are created by staff or the seed; signing in must never create one.
      async signIn({ user, account, profile, email }) {
        const address = user.email ?? profile?.email;
        const known = address ? await db.user.findUnique({ where: { email: address }, select: { id: true } }) : null;
        if (!known) {
          // The email form must not reveal which addresses have accounts: it shows "check your email" and sends nothing.
          return email?.verificationRequest ? "/signin/verify" : false;
        }
        return !(account?.type === "oidc" && profile?.email_verified === false);
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
