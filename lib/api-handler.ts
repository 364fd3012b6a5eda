import { toErrorResponse } from "@/lib/errors";

type RouteContext<Params> = { params: Promise<Params> };

/** Wraps a route handler so every failure goes through the one error mapper: no handler ends in an unexplained 500. */
export function apiHandler<Params = Record<string, never>>(
  handler: (request: Request, context: RouteContext<Params>) => Promise<Response>,
) {
  return async (request: Request, context: RouteContext<Params>) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/** The query string as a plain object, for the zod query schemas in lib/. */
export function searchParamsOf(request: Request) {
  return Object.fromEntries(new URL(request.url).searchParams);
}
