import { AppError, toErrorResponse } from "@/lib/errors";
import { formatBytes } from "@/lib/http";
import { isUuid } from "@/lib/ids";
import { cancelQueriesOnAbort } from "@/lib/query-signal";

type RouteContext<Params> = { params: Promise<Params> };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Bodies of JSON routes; the upload route raises its own limit. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Wraps a route handler so every failure goes through the one error mapper (no unexplained 500),
 * path parameters that name nothing are a 404 before any query, the body is limited while it streams in
 * (413 once more than `maxBodyBytes` has arrived, with or without a Content-Length), cookie-authenticated
 * mutations from another origin are refused (a Bearer token cannot be sent by another site, a cookie can),
 * and no response is stored by a cache: they are the caller's own data.
 */
export function apiHandler<Params = Record<string, never>>(
  handler: (request: Request, context: RouteContext<Params>) => Promise<Response>,
  options: { maxBodyBytes?: number } = {},
) {
  return async (request: Request, context: RouteContext<Params>) => {
    let response: Response;
    try {
      await refuseParamsNamingNothing(context?.params);
      let limited = request;
      if (!SAFE_METHODS.has(request.method)) {
        refuseCrossOrigin(request);
        const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
        refuseOversizedBody(request, limit);
        limited = limitBody(request, limit);
      }
      // A read whose client goes away stops its database queries (lib/db.ts); a change runs to its end.
      response = SAFE_METHODS.has(request.method)
        ? await cancelQueriesOnAbort(request.signal, () => handler(limited, context))
        : await handler(limited, context);
    } catch (error) {
      response = toErrorResponse(error);
    }
    return notStored(response);
  };
}

/**
 * For a handler that parses the body itself and answers a failed read its own way (Auth.js logs it and
 * answers 500): the body is read first, within `maxBodyBytes`, and handed over whole. A larger one is a
 * 413 and the handler never runs.
 */
export function withBufferedBody(
  handler: (request: Request) => Promise<Response>,
  { maxBodyBytes }: { maxBodyBytes: number },
) {
  return async (request: Request) => {
    let body: ArrayBuffer | null = null;
    try {
      if (request.body) {
        refuseOversizedBody(request, maxBodyBytes);
        body = await limitBody(request, maxBodyBytes).arrayBuffer();
      }
    } catch (error) {
      return toErrorResponse(error);
    }
    return handler(new Request(request.url, { method: request.method, headers: request.headers, body }));
  };
}

/**
 * The request with a body that fails with 413 (`message`, or a generic one) as soon as more than `limit`
 * bytes have arrived, however it is read. Bytes are pulled only as the reader asks, so nothing past the
 * limit is read: the rest of an oversized upload stays in the client's socket, not in our memory.
 */
export function limitBody(request: Request, limit: number, message?: string): Request {
  if (!request.body || limit === Number.POSITIVE_INFINITY) {
    return request;
  }
  const reader = request.body.getReader();
  let received = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          // An outer limit keeps its 413; a client that went away mid-body sent a bad request.
          controller.error(
            error instanceof AppError
              ? error
              : new AppError("BAD_REQUEST", { userMessage: "The request body could not be read to the end." }),
          );
          return;
        }
        if (chunk.done) {
          controller.close();
          return;
        }
        received += chunk.value.byteLength;
        if (received > limit) {
          controller.error(tooLarge(limit, message));
          return;
        }
        controller.enqueue(chunk.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    signal: request.signal,
    duplex: "half",
  } as RequestInit);
}

function tooLarge(limit: number, message?: string) {
  return new AppError("PAYLOAD_TOO_LARGE", {
    userMessage: message ?? `The request body is larger than ${formatBytes(limit)}, the most this endpoint accepts.`,
  });
}

/** A JSON body no larger than `limit`, also when the client sent no Content-Length. */
export async function readJsonBody(request: Request, limit = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  refuseOversizedBody(request, limit);
  const text = await limitBody(request, limit).text();
  if (text.trim() === "") {
    throw new AppError("BAD_REQUEST", { userMessage: "The request body is empty; send a JSON object." });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", { userMessage: "The request body is not valid JSON." });
  }
}

/** The query string as a plain object, for the zod query schemas in lib/. */
export function searchParamsOf(request: Request) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  // PostgreSQL text cannot hold NUL: a search for one would fail in the database.
  if (Object.entries(params).some(([name, value]) => name.includes("\0") || value.includes("\0"))) {
    throw new AppError("BAD_REQUEST", { userMessage: "The query string contains a NUL character (%00)." });
  }
  return params;
}

/**
 * Path parameters name rows: an `id` is a UUID, and no key holds a NUL (PostgreSQL text cannot), so any
 * other value is a 404 before a query could fail on it. Next has already decoded them.
 */
async function refuseParamsNamingNothing(params: Promise<unknown> | undefined) {
  const values = ((await params) ?? {}) as Record<string, string | string[]>;
  for (const [name, value] of Object.entries(values)) {
    const texts = Array.isArray(value) ? value : [value];
    if (texts.some((text) => text.includes("\0")) || (name === "id" && !isUuid(String(value)))) {
      throw new AppError("NOT_FOUND", {
        userMessage:
          name === "id" ? "Not found: an id is a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)." : "Not found.",
      });
    }
  }
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
      userMessage: `The request body is ${formatBytes(declared)}; this endpoint accepts at most ${formatBytes(limit)}.`,
    });
  }
}

/** Responses carry the caller's own data: no shared or browser cache may keep them. */
function notStored(response: Response) {
  if (response.headers.has("cache-control")) {
    return response;
  }
  try {
    response.headers.set("cache-control", "no-store");
    return response;
  } catch {
    // Headers of a redirect or fetched response are immutable.
    const copy = new Response(response.body, response);
    copy.headers.set("cache-control", "no-store");
    return copy;
  }
}
