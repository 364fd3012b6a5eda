import type { NextConfig } from "next";

import { SERVER_ACTION_MAX_BODY_BYTES } from "./lib/http";

/** On every response; pages get their Content-Security-Policy, with a per-request nonce, from proxy.ts. */
const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Old browsers' form of the policies' `frame-ancestors 'none'`: no site may frame this one.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
];

/** API responses are data (JSON, CSV), never documents: nothing in them may load or run. */
const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

const nextConfig: NextConfig = {
  // Separate build folders let concurrent test runs build without clobbering each other.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  // pg is Node-only; keep it out of the bundle.
  serverExternalPackages: ["pg"],
  experimental: {
    // Uploads go through route handlers, whose limit is enforced in lib/bulk; this covers server actions.
    serverActions: { bodySizeLimit: SERVER_ACTION_MAX_BODY_BYTES },
    // Next buffers the body of every request the proxy sees (page requests: server actions) up to this
    // size, then cuts it off; above the server-action limit, so that proxy.ts sees an oversized one.
    proxyClientMaxBodySize: 2 * SERVER_ACTION_MAX_BODY_BYTES,
  },
  async headers() {
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default nextConfig;
