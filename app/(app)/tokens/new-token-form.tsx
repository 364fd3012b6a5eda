"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";

import { formatDateTime } from "@/components/ui/date-time";
import {
  API_TOKEN_EXPIRY_CHOICES,
  type CreatedApiToken,
  DEFAULT_API_TOKEN_EXPIRY_DAYS,
  createApiTokenSchema,
} from "@/lib/auth/api-token-schemas";
import { fieldErrorsOf } from "@/lib/users/schemas";

type Outcome =
  { ok: true; token: CreatedApiToken } | { ok: false; message: string; fieldErrors: Record<string, string> };

/** POST /api/tokens with the session cookie; on failure, the message and the zod issues by field. */
async function createToken(body: unknown): Promise<Outcome> {
  try {
    const response = await fetch("/api/tokens", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const payload: unknown = await response.json().catch(() => null);
    if (response.ok) {
      return { ok: true, token: payload as CreatedApiToken };
    }
    const error = (payload as { error?: { message?: string; details?: unknown } } | null)?.error;
    const issues = Array.isArray(error?.details) ? (error.details as { path: PropertyKey[]; message: string }[]) : [];
    return {
      ok: false,
      message: error?.message ?? `The request failed (HTTP ${response.status}).`,
      fieldErrors: fieldErrorsOf(issues),
    };
  } catch {
    return {
      ok: false,
      message: "The request did not reach the server; check your connection and try again.",
      fieldErrors: {},
    };
  }
}

/** "New token": a name and an expiry; the token is shown here once, never again. */
export function NewTokenForm() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [expiresInDays, setExpiresInDays] = useState<number>(DEFAULT_API_TOKEN_EXPIRY_DAYS);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setCreated(null);
    setCopied(null);
    const parsed = createApiTokenSchema.safeParse({ name, expiresInDays });
    if (!parsed.success) {
      setFieldErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    setSubmitting(true);
    const outcome = await createToken(parsed.data);
    setSubmitting(false);
    if (!outcome.ok) {
      setFieldErrors(outcome.fieldErrors);
      setError(outcome.message);
      return;
    }
    setCreated(outcome.token);
    setName("");
    router.refresh();
  }

  async function copy(token: string) {
    try {
      await navigator.clipboard.writeText(token);
      setCopied("yes");
    } catch {
      // No clipboard outside a secure context (plain http to another machine): the field stays selected instead.
      setCopied("no");
    }
  }

  return (
    <form className="card submit-form" onSubmit={onSubmit} noValidate aria-labelledby="new-token-heading">
      <h2 id="new-token-heading">New token</h2>
      <div className="inline-fields">
        <div className="form-row">
          <label htmlFor="new-token-name">Name</label>
          <input
            id="new-token-name"
            type="text"
            autoComplete="off"
            maxLength={100}
            placeholder="What uses it, e.g. nightly import"
            value={name}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={fieldErrors.name ? true : undefined}
            aria-describedby={fieldErrors.name ? "new-token-name-error" : undefined}
          />
          {fieldErrors.name ? (
            <span id="new-token-name-error" className="small count-failed" role="alert">
              {fieldErrors.name}
            </span>
          ) : null}
        </div>
        <div className="form-row">
          <label htmlFor="new-token-expiry">Expires in</label>
          <select
            id="new-token-expiry"
            value={expiresInDays}
            onChange={(event) => setExpiresInDays(Number(event.target.value))}
            aria-invalid={fieldErrors.expiresInDays ? true : undefined}
          >
            {API_TOKEN_EXPIRY_CHOICES.map((days) => (
              <option key={days} value={days}>
                {days} days
              </option>
            ))}
          </select>
          {fieldErrors.expiresInDays ? (
            <span className="small count-failed" role="alert">
              {fieldErrors.expiresInDays}
            </span>
          ) : null}
        </div>
      </div>
      {error ? (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      ) : null}
      {created ? (
        <div className="alert alert-info stacked" role="status" data-testid="new-token">
          <p>
            Token <strong>{created.name}</strong> created; it expires {formatDateTime(created.expiresAt)}. Copy it now:
            it is shown only once.
          </p>
          <input
            type="text"
            readOnly
            value={created.token}
            aria-label="The new token"
            data-testid="new-token-value"
            onFocus={(event) => event.currentTarget.select()}
            style={{ width: "100%", fontFamily: "var(--mono)" }}
          />
          <div className="actions">
            <button type="button" className="btn btn-small" onClick={() => void copy(created.token)}>
              Copy
            </button>
            {copied ? (
              <span className="small">{copied === "yes" ? "Copied." : "Select the token and copy it by hand."}</span>
            ) : null}
          </div>
        </div>
      ) : null}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={submitting}>
          {submitting ? "Creating…" : "Create token"}
        </button>
      </div>
    </form>
  );
}
