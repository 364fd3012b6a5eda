import "server-only";

import { render } from "@react-email/render";
import type { ReactElement } from "react";
import { Resend } from "resend";

import { db } from "@/lib/db";
import { env } from "@/lib/env";

export type SendEmailOptions = {
  to: string;
  subject: string;
  /** A React Email template element. */
  react: ReactElement;
  /** Built from ids, so a retried job step sends the email once (Resend) or stores it once (outbox). */
  idempotencyKey?: string;
};

/** Sends through Resend when RESEND_API_KEY is set; otherwise stores the message in the local outbox. */
export async function sendEmail({ to, subject, react, idempotencyKey }: SendEmailOptions): Promise<{ id: string }> {
  const [html, text] = await Promise.all([render(react), render(react, { plainText: true })]);
  const e = env();

  if (e.RESEND_API_KEY) {
    const resend = new Resend(e.RESEND_API_KEY, { baseUrl: e.RESEND_BASE_URL });
    const { data, error } = await resend.emails.send(
      { from: e.EMAIL_FROM, to, subject, html, text },
      idempotencyKey ? { idempotencyKey } : undefined,
    );
    if (error) {
      throw new Error(`Resend did not accept the email "${subject}": ${error.name}: ${error.message}`);
    }
    return { id: data.id };
  }

  if (idempotencyKey) {
    // Upsert with an empty update returns the stored row, so a replay neither duplicates nor fails.
    const { id } = await db.emailMessage.upsert({
      where: { idempotencyKey },
      create: { to, subject, html, text, idempotencyKey },
      update: {},
      select: { id: true },
    });
    return { id };
  }
  const { id } = await db.emailMessage.create({ data: { to, subject, html, text }, select: { id: true } });
  return { id };
}
