import "server-only";

import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

import type { CreateUserInput } from "./schemas";

/** Membership rows for the requested organization keys (any case); names every unknown key in one 400. */
export async function resolveOrganizations(tx: Prisma.TransactionClient, memberships: CreateUserInput["memberships"]) {
  if (memberships.length === 0) {
    return [];
  }
  const organizations = await tx.organization.findMany({
    where: { key: { in: memberships.map((m) => m.organization), mode: "insensitive" } },
    select: { id: true, key: true },
  });
  // Keys are unique as written; when two differ only in case, the exact spelling wins.
  const find = (key: string) =>
    organizations.find((o) => o.key === key) ?? organizations.find((o) => o.key.toLowerCase() === key.toLowerCase());
  const unknown = memberships.filter((m) => !find(m.organization)).map((m) => m.organization);
  if (unknown.length > 0) {
    const message =
      unknown.length === 1
        ? `Unknown organization "${unknown[0]}": no organization has that key.`
        : `Unknown organizations: ${unknown.map((k) => `"${k}"`).join(", ")}: no organization has those keys.`;
    throw new AppError("BAD_REQUEST", {
      userMessage: message,
      details: { fieldErrors: { memberships: message }, unknownOrganizations: unknown },
    });
  }
  return memberships.map((m) => ({ organizationId: find(m.organization)!.id, role: m.role }));
}
