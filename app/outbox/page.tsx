import type { Metadata } from "next";
import Link from "next/link";

import { assertOutboxReader, listOutboxMessages } from "@/lib/email/outbox";

export const metadata: Metadata = { title: "Outbox" };

// Where local users pick up their sign-in link: without signing in only when just this machine can connect.
// It exists only while mail is not really sent.
export default async function OutboxPage({ searchParams }: { searchParams: Promise<{ to?: string | string[] }> }) {
  await assertOutboxReader("/outbox");
  const { to } = await searchParams;
  const recipient = typeof to === "string" && to.trim() !== "" ? to.trim() : undefined;
  const messages = await listOutboxMessages({ take: 100, to: recipient });

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Outbox</h1>
          <p className="muted">
            Without <code>RESEND_API_KEY</code>, emails are kept here instead of being sent.
            {recipient && (
              <>
                {" "}
                Showing emails to {recipient}. <Link href="/outbox">Show all</Link>
              </>
            )}
          </p>
        </div>
      </div>
      {messages.length === 0 ? (
        <p className="card muted">No emails yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Sent</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td>
                    <time dateTime={m.createdAt.toISOString()}>
                      {m.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
                    </time>
                  </td>
                  <td>{m.to}</td>
                  <td>
                    <Link href={`/outbox/${m.id}`}>{m.subject}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
