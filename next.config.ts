import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Separate build folders let concurrent test runs build without clobbering each other.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // pg and the pglite socket server are Node-only; keep them out of the bundle.
  serverExternalPackages: ["pg", "@electric-sql/pglite", "@electric-sql/pglite-socket"],
  experimental: {
    // Uploads go through route handlers, whose limit is enforced in lib/bulk; this covers server actions.
    serverActions: { bodySizeLimit: "1mb" },
  },
};

export default nextConfig;
