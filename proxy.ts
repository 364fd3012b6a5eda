import { type NextRequest, NextResponse } from "next/server";

import { limitBody } from "@/lib/api-handler";
import { AppError, toErrorResponse } from "@/lib/errors";
import { SERVER_ACTION_MAX_BODY_BYTES, pageContentSecurityPolicy } from "@/lib/http";

/**
 * Before Next routes a request: a path Next could not decode is a 400 (Next itself would answer a bare
 * 500), and a server action past its body limit a 413 (Next refuses it too, but with a 500). Pages then
 * get a fresh nonce and Content-Security-Policy: Next reads the nonce from the policy on the request and
 * puts it on the scripts it renders; the browser gets the same policy on the response. (Every page is
 * rendered per request already: the layout reads the session.)
 */
export async function proxy(request: NextRequest) {
  if (!isDecodable(request.nextUrl.pathname)) {
    return toErrorResponse(
      new AppError("BAD_REQUEST", { userMessage: "The path holds a malformed percent-escape (such as %zz)." }),
    );
  }
  if (request.nextUrl.pathname.startsWith("/api/")) {
    return NextResponse.next();
  }
  if (request.body) {
    try {
      // Next has buffered this much of the body already (next.config.ts proxyClientMaxBodySize).
      await limitBody(request, SERVER_ACTION_MAX_BODY_BYTES).arrayBuffer();
    } catch (error) {
      return toErrorResponse(error);
    }
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = pageContentSecurityPolicy(nonce, { development: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

function isDecodable(path: string) {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  matcher: [
    {
      // Pages. API routes get a fixed policy from next.config.ts and are left out: the proxy makes Next
      // buffer request bodies (uploads) to hand them through it. Static files and prefetches need none.
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
    // API paths with a percent-escape, for the decoding check only (none of them takes an upload).
    "/api/:path(.*%.*)",
  ],
};
