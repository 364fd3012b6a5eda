// Prints a new personal API token for a user, and only the token, on stdout (scripts capture it):
// npm run token -- <email> [--name <name>] [--expires-in-days <1–365, default 90>]
import { parseArgs } from "node:util";

import {
  DEFAULT_API_TOKEN_EXPIRY_DAYS,
  MAX_API_TOKEN_EXPIRY_DAYS,
  createApiTokenSchema,
} from "@/lib/auth/api-token-schemas";
import { createApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

const USAGE = `Usage: npm run token -- <email> [--name <name>] [--expires-in-days <1-${MAX_API_TOKEN_EXPIRY_DAYS}, default ${DEFAULT_API_TOKEN_EXPIRY_DAYS}>]`;

function readArguments() {
  try {
    const { values, positionals } = parseArgs({
      args: process.argv.slice(2),
      options: { name: { type: "string" }, "expires-in-days": { type: "string" } },
      allowPositionals: true,
    });
    const days = values["expires-in-days"];
    return {
      email: positionals.length === 1 ? positionals[0].trim() : "",
      name: values.name ?? `CLI token ${new Date().toISOString()}`,
      // A number only when the text is one, so that "30days" or "never" is refused rather than read as 30 or NaN.
      expiresInDays: days === undefined ? undefined : /^\s*\d+\s*$/.test(days) ? Number(days) : days,
    };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return null;
  }
}

async function main() {
  const args = readArguments();
  if (!args) {
    return 1;
  }
  if (!args.email) {
    console.error(USAGE);
    return 1;
  }
  const user = await db.user.findUnique({ where: { email: args.email.toLowerCase() }, select: { id: true } });
  if (!user) {
    console.error(`No user with email ${args.email}. Users are created by staff or by the seed (npm run db:seed).`);
    return 1;
  }
  const input = createApiTokenSchema.safeParse({ name: args.name, expiresInDays: args.expiresInDays });
  if (!input.success) {
    const option = (path: PropertyKey[]) => (path[0] === "expiresInDays" ? "--expires-in-days" : "--name");
    console.error(`${input.error.issues.map((i) => `${option(i.path)}: ${i.message}`).join("\n")}\n${USAGE}`);
    return 1;
  }
  try {
    const { token, expiresAt } = await createApiToken({ userId: user.id, ...input.data });
    console.log(token);
    console.error(`Keep it secret: only its hash is stored, so it cannot be shown again. It expires at ${expiresAt}.`);
    console.error(`Use it as: curl -H "Authorization: Bearer ${token}" …`);
    return 0;
  } catch (error) {
    // The live-token limit: the message says what to do.
    if (error instanceof AppError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => db.$disconnect());
