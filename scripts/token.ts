// Prints a new personal API token for a user: npm run token -- <email>
import { createApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db";

async function main() {
  const email = process.argv[2]?.trim();
  if (!email) {
    console.error("Usage: npm run token -- <email>");
    return 1;
  }
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (!user) {
    console.error(`No user with email ${email}. Users are created by staff or by the seed (npm run db:seed).`);
    return 1;
  }
  const { token } = await createApiToken({ userId: user.id, name: `CLI token ${new Date().toISOString()}` });
  console.log(token);
  console.error("Keep it secret: only its hash is stored, so it cannot be shown again.");
  console.error(`Use it as: curl -H "Authorization: Bearer ${token}" …`);
  return 0;
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
