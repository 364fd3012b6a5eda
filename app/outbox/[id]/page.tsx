import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { assertOutboxReader, getOutboxMessage } from "@/lib/email/outbox";

export const metadata: Metadata = { title: "Outbox email" };

const ENTITIES: Record<string, string> = { amp: "&", quot: '"', "#39": "'", "#x27": "'", lt: "<", gt: ">" };

/** The distinct link targets of the email, listed as plain anchors that open in this window. */
function linksOf(html: string) {
  const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) =>
    m[1].replace(/&(amp|quot|#39|#x27|lt|gt);/g, (_, name: string) => ENTITIES[name]),
  );
  return [...new Set(hrefs)].filter((href) => /^https?:\/\//.test(href));
}

export default async function OutboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await assertOutboxReader(`/outbox/${encodeURIComponent(id)}`);
  const message = await getOutboxMessage(id);
  if (!message) {
    notFound();
  }
  const links = linksOf(message.html);

  return (
    <>
      <p className="breadcrumb">
        <Link href="/outbox">Outbox</Link>
      </p>
      <div className="page-header">
        <div>
          <h1>{message.subject}</h1>
          <p className="muted">
            To {message.to}, <time dateTime={message.createdAt.toISOString()}>{message.createdAt.toISOString()}</time>
          </p>
        </div>
      </div>
      {links.length > 0 && (
        <section className="card">
          <h2>Links</h2>
          <ul>
            {links.map((href) => (
              <li key={href} style={{ overflowWrap: "anywhere" }}>
                <a href={href}>{href}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h2>HTML</h2>
        <iframe
          title={`Email: ${message.subject}`}
          srcDoc={message.html}
          // No scripts and an opaque origin. React Email links open a new tab, which escapes the sandbox so that
          // a magic link clicked here signs this browser in.
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          style={{ width: "100%", height: "600px", border: "1px solid #d1d5db", background: "#ffffff" }}
        />
      </section>
      <section>
        <h2>Text</h2>
        <pre className="card" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
          {message.text}
        </pre>
      </section>
    </>
  );
}
