import { AppError, toErrorResponse } from "@/lib/errors";

type RouteContext<Params> = { params: Promise<Params> };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Bodies of JSON routes; the upload route raises its own limit. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Wraps a route handler so every failure goes through the one error mapper (no unexplained 500),
 * oversized bodies are refused unread, and cookie-authenticated mutations from another origin are
 * refused (a Bearer token cannot be sent by another site, a cookie can).
 */
export function apiHandler<Params = Record<string, never>>(
  handler: (request: Request, context: RouteContext<Params>) => Promise<Response>,
  options: { maxBodyBytes?: number } = {},
) {
  return async (request: Request, context: RouteContext<Params>) => {
    try {
      if (!SAFE_METHODS.has(request.method)) {
        refuseCrossOrigin(request);
        refuseOversizedBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      }
      return await handler(request, context);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

function refuseCrossOrigin(request: Request) {
  if (request.headers.has("authorization")) {
    return;
  }
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (site === "cross-site" || (origin !== null && hostOf(origin) !== host)) {
    throw new AppError("FORBIDDEN", { userMessage: "Cross-origin requests may not change anything here." });
  }
}

function hostOf(origin: string) {
  return URL.canParse(origin) ? new URL(origin).host : null;
}

function refuseOversizedBody(request: Request, limit: number) {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) {
    throw new AppError("PAYLOAD_TOO_LARGE", {
      userMessage: `The request body is ${declared} bytes; this endpoint accepts at most ${limit}.`,
    });
  }
}

/** A JSON body no larger than `limit`, also when the client sent no Content-Length. */
export async function readJsonBody(request: Request, limit = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") {
    throw new AppError("BAD_REQUEST", { userMessage: "The request body is empty; send a JSON object." });
  }
  if (Buffer.byteLength(text) > limit) {
    throw new AppError("PAYLOAD_TOO_LARGE", { userMessage: `The request body is larger than ${limit} bytes.` });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", { userMessage: "The request body is not valid JSON." });
  }
}

/** The query string as a plain object, for the zod query schemas in lib/. */
export function searchParamsOf(request: Request) {
  return Object.fromEntries(new URL(request.url).searchParams);
}
