import { NextRequest } from "next/server";

import { withBufferedBody } from "@/lib/api-handler";
import { handlers } from "@/lib/auth";

// Auth.js's forms (email, CSRF token, callback URL) are small; it would read any body whole, anonymously.
const AUTH_MAX_BODY_BYTES = 16 * 1024;

function limited(handler: (request: NextRequest) => Promise<Response>) {
  return withBufferedBody((request) => handler(new NextRequest(request)), { maxBodyBytes: AUTH_MAX_BODY_BYTES });
}

// GET|POST /api/auth/* – Auth.js: magic link, optional OIDC, session, sign-out
export const GET = limited(handlers.GET);
export const POST = limited(handlers.POST);
