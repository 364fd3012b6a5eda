import "server-only";

import { db } from "@/lib/db";

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
