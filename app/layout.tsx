import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";

import { signOut } from "@/lib/auth";
import { getActingUser } from "@/lib/auth/require-user";
import { outboxEnabled } from "@/lib/env";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Catalog Bulk Operations", template: "%s · Catalog Bulk Operations" },
  description: "Create and update courses, runs and editors in bulk from a CSV file.",
};

async function signOutAction() {
  "use server";
  await signOut({ redirectTo: "/" });
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getActingUser();
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <div className="container site-header-inner">
            <Link href="/" className="brand">
              <span className="brand-mark" aria-hidden="true">
                ▦
              </span>
              Catalog Bulk Operations
            </Link>
            <nav className="site-nav" aria-label="Main">
              <Link href="/bulk-operations">Bulk operations</Link>
              <Link href="/courses">Courses</Link>
              {user?.isStaff ? <Link href="/users">Users</Link> : null}
              {user ? <Link href="/tokens">API tokens</Link> : null}
              {outboxEnabled() ? <Link href="/outbox">Outbox</Link> : null}
            </nav>
            <div className="site-user">
              {user ? (
                <>
                  <span className="site-user-name" data-testid="signed-in-user" title={user.email}>
                    {user.name ?? user.username ?? user.email}
                    {user.isStaff ? <span className="tag">staff</span> : null}
                  </span>
                  <form action={signOutAction}>
                    <button type="submit" className="btn btn-small btn-ghost">
                      Sign out
                    </button>
                  </form>
                </>
              ) : (
                <Link href="/signin" className="btn btn-small btn-primary">
                  Sign in
                </Link>
              )}
            </div>
          </div>
        </header>
        <main className="container main">{children}</main>
      </body>
    </html>
  );
}
