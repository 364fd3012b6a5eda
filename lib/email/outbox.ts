import "server-only";

import { headers } from "next/headers";
import { notFound } from "next/navigation";

import { getPageUser } from "@/lib/auth/page-user";
import { db } from "@/lib/db";
import { env, isLoopbackHost, outboxEnabled, type ServerEnv } from "@/lib/env";

/** Newest first, without the bodies; `to` narrows to one recipient (the sign-in test helper uses it). */
export async function listOutboxMessages({ take, to }: { take: number; to?: string }) {
  return db.emailMessage.findMany({
    where: to ? { to } : undefined,
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, to: true, subject: true, createdAt: true },
  });
}

export async function getOutboxMessage(id: string) {
  return db.emailMessage.findUnique({ where: { id } });
}

/**
 * Who may read the outbox, whose magic links sign anyone in: `none` where it does not exist, `anyone` when
 * only this machine can connect, otherwise `staff`.
 *
 * Only this machine can connect when the start command made Next listen on a loopback address (it says so in
 * BULKOPS_LISTEN_HOST): the request's own claims of origin cannot tell, as Next keeps a client's
 * X-Forwarded-For. The Host header must name this machine or APP_URL too: a web page that rebinds its own
 * domain to 127.0.0.1 reaches a loopback server with its domain as Host, which a browser never lets it change.
 */
export function outboxAccess(host: string | null, e: ServerEnv = env()): "none" | "anyone" | "staff" {
  if (!outboxEnabled(e)) {
    return "none";
  }
  const listensOnLoopback = e.BULKOPS_LISTEN_HOST !== undefined && isLoopbackHost(e.BULKOPS_LISTEN_HOST);
  return listensOnLoopback && host !== null && namesThisApp(host, e.APP_URL) ? "anyone" : "staff";
}

function namesThisApp(host: string, appUrl: string) {
  if (!URL.canParse(`http://${host}`)) {
    return false;
  }
  const { hostname } = new URL(`http://${host}`);
  return isLoopbackHost(hostname) || hostname === new URL(appUrl).hostname;
}

/** For the outbox pages: a 404 where there is none; a visitor signs in, and only staff read it, unless `anyone` may. */
export async function assertOutboxReader(path: string) {
  const access = outboxAccess((await headers()).get("host"));
  if (access === "none") {
    notFound();
  }
  if (access === "staff" && !(await getPageUser(path)).isStaff) {
    notFound();
  }
}
