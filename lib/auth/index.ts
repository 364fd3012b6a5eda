import "server-only";

import NextAuth from "next-auth";
import { headers } from "next/headers";

import { authConfig } from "@/lib/auth/config";
import { env } from "@/lib/env";

export const { handlers, auth, signIn, signOut } = NextAuth(async () => {
  // Without AUTH_URL, next-auth takes its origin from the request's Host or X-Forwarded-Host: a forged header
  // would put another site into magic links and redirects. It reads AUTH_URL from process.env on every call,
  // after this function, so APP_URL is the one source whatever else the environment says.
  process.env.AUTH_URL = new URL(env().APP_URL).origin;
  return authConfig(await headers());
});
