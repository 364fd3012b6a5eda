import "server-only";

import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Adapter } from "next-auth/adapters";

import { db } from "@/lib/db";

/** Accounts are created by staff or the seed, never by signing in. */
export async function hasAccount(email: string) {
  return (await db.user.findUnique({ where: { email }, select: { id: true } })) !== null;
}

/** Prisma's Auth.js adapter, with the changes sign-in needs. */
export function authAdapter(): Adapter {
  return {
    ...PrismaAdapter(db),
    // Auth.js deletes the session a browser's cookie names before signing it in again, and Prisma's delete
    // throws when that session is already gone (deleted by staff, expired and cleaned up): such a browser
    // could never sign in. A missing session is simply signed out.
    async deleteSession(sessionToken) {
      await db.session.deleteMany({ where: { sessionToken } });
    },
    // One live link per address: the newest. Kept by expiry rather than deleted first, so two requests at once
    // still leave one working link. An address without an account gets no link at all (nor an email, see the
    // email provider), while Auth.js answers exactly as it does for an account.
    async createVerificationToken(token) {
      if (!(await hasAccount(token.identifier))) {
        return null;
      }
      await db.verificationToken.create({ data: token });
      await db.verificationToken.deleteMany({
        where: { identifier: token.identifier, expires: { lt: token.expires } },
      });
      return token;
    },
  };
}
