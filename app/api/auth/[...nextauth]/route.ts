import { handlers } from "@/lib/auth";

// GET|POST /api/auth/* – Auth.js: magic link, optional OIDC, session, sign-out
export const { GET, POST } = handlers;
