import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";

import { outboxEnabled } from "@/lib/env";

export const metadata: Metadata = { title: "Check your email" };

export default async function VerifyRequestPage() {
  // The outbox link depends on the runtime environment, not the one at build time.
  await connection();
  return (
    <section className="card" style={{ maxWidth: "28rem", margin: "2rem auto" }}>
      <h1>Check your email</h1>
      <p>If an account exists for that address, a sign-in link is on its way. It works once and expires in 24 hours.</p>
      {outboxEnabled() && (
        <p className="alert alert-info">
          This installation does not send email: open the <Link href="/outbox">outbox</Link> to find your link.
        </p>
      )}
      <p>
        <Link href="/signin">Back to sign in</Link>
      </p>
    </section>
  );
}
