import { serve } from "inngest/next";

import { functions } from "@/inngest";
import { inngest } from "@/inngest/client";
import { usesInngestServer } from "@/lib/env";
import { AppError, toErrorResponse } from "@/lib/errors";

const inngestHandlers = serve({ client: inngest, functions });

/** Without Inngest the in-process runner executes the jobs and nothing may call this endpoint. */
function whenConfigured<Handler extends (...args: never[]) => Promise<Response>>(handler: Handler) {
  return (async (...args: Parameters<Handler>) => {
    if (!usesInngestServer()) {
      return toErrorResponse(
        new AppError("NOT_FOUND", {
          userMessage:
            "Inngest is not configured on this server (no INNGEST_EVENT_KEY or INNGEST_DEV): jobs run in-process.",
        }),
      );
    }
    return handler(...args);
  }) as Handler;
}

// GET|POST|PUT /api/inngest – Inngest Cloud or a self-hosted Inngest registers and invokes functions here;
// requests are verified with INNGEST_SIGNING_KEY when it is set.
export const GET = whenConfigured(inngestHandlers.GET);
export const POST = whenConfigured(inngestHandlers.POST);
export const PUT = whenConfigured(inngestHandlers.PUT);
