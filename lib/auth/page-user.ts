import "server-only";

import { redirect } from "next/navigation";

import { type ActingUser, getActingUser, hasAccess } from "./require-user";

export { hasAccess };

/** The signed-in user of a page; a visitor is sent to sign in and brought back to `path` afterwards. */
export async function getPageUser(path: string): Promise<ActingUser> {
  const user = await getActingUser();
  if (!user) {
    redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  }
  return user;
}
