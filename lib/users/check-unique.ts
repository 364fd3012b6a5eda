import "server-only";

import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * 409 when another user has this email or username. Both compare case-insensitively: emails are stored
 * lowercased, and editor uploads find users by username in any case, so `Jane` and `jane` would be ambiguous.
 */
export async function checkUnique(
  tx: Prisma.TransactionClient,
  { email, username, exceptUserId }: { email?: string; username?: string; exceptUserId?: string },
) {
  const or: Prisma.UserWhereInput[] = [];
  if (email !== undefined) {
    or.push({ email: { equals: email, mode: "insensitive" } });
  }
  if (username !== undefined) {
    or.push({ username: { equals: username, mode: "insensitive" } });
  }
  if (or.length === 0) {
    return;
  }
  const taken = await tx.user.findMany({
    where: { OR: or, ...(exceptUserId ? { id: { not: exceptUserId } } : {}) },
    select: { email: true, username: true },
    take: 2,
  });
  const fieldErrors: Record<string, string> = {};
  if (email !== undefined && taken.some((u) => u.email.toLowerCase() === email.toLowerCase())) {
    fieldErrors.email = `A user with the email ${email} already exists.`;
  }
  if (username !== undefined && taken.some((u) => u.username?.toLowerCase() === username.toLowerCase())) {
    fieldErrors.username = `The username ${username} is already taken.`;
  }
  if (Object.keys(fieldErrors).length > 0) {
    throw new AppError("CONFLICT", { userMessage: Object.values(fieldErrors).join(" "), details: { fieldErrors } });
  }
}

/** A unique violation that slipped past `checkUnique` (two requests at once) is still a 409, not a 500. */
export function rethrowUniqueViolation(error: unknown): never {
  if (typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002") {
    throw new AppError("CONFLICT", {
      userMessage: "That email or username was just taken by another user; choose another one.",
    });
  }
  throw error;
}
