"use client";

import type { ReactNode } from "react";

import type { OrganizationOption } from "@/lib/users/list-organizations";
import { MEMBERSHIP_ROLES } from "@/lib/users/schemas";
import type { UserDetail } from "@/lib/users/to-user-detail";

export type MembershipValue = { organization: string; role: (typeof MEMBERSHIP_ROLES)[number] };

/** Field messages by path (`email`, `memberships.1.role`), from the schema in the browser or from the API. */
export type FieldErrors = Record<string, string>;

export type UserRequestOutcome =
  { ok: true; user: UserDetail } | { ok: false; message: string; fieldErrors: FieldErrors };

/** Sends a form's user to the users API; on failure, what to show: a message and the fields' own errors. */
export async function sendUserRequest(
  url: string,
  method: "POST" | "PATCH",
  body: unknown,
): Promise<UserRequestOutcome> {
  try {
    const response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const payload: unknown = await response.json().catch(() => null);
    return response.ok
      ? { ok: true, user: payload as UserDetail }
      : { ok: false, ...errorsFromResponse(payload, response.status) };
  } catch {
    return {
      ok: false,
      message: "The request did not reach the server; check your connection and try again.",
      fieldErrors: {},
    };
  }
}

/** Reads `{ error: { code, message, details } }`: zod issues (422) or `details.fieldErrors` (400, 409). */
function errorsFromResponse(payload: unknown, status: number): { message: string; fieldErrors: FieldErrors } {
  const error = (payload as { error?: { message?: string; details?: unknown } } | null)?.error;
  const details = error?.details;
  const fieldErrors: FieldErrors = {};
  if (Array.isArray(details)) {
    for (const issue of details as { path?: unknown[]; message?: string }[]) {
      const field = (issue.path ?? []).map(String).join(".");
      if (field && issue.message) {
        fieldErrors[field] ??= issue.message;
      }
    }
  } else if (details && typeof details === "object" && "fieldErrors" in details) {
    Object.assign(fieldErrors, (details as { fieldErrors: FieldErrors }).fieldErrors);
  }
  return { message: error?.message ?? `The request failed (HTTP ${status}).`, fieldErrors };
}

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <span id={id} className="small count-failed" role="alert">
      {message}
    </span>
  ) : null;
}

export function TextField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  inputMode,
  autoComplete = "off",
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
  inputMode?: "email" | "text";
  autoComplete?: string;
}) {
  return (
    <div className="form-row">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode={inputMode}
        autoComplete={autoComplete}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {hint ? <span className="muted small">{hint}</span> : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/** The membership list: one organization and role per line, add and remove lines. */
export function MembershipsFields({
  idPrefix,
  value,
  onChange,
  organizations,
  errors,
}: {
  idPrefix: string;
  value: MembershipValue[];
  onChange: (value: MembershipValue[]) => void;
  organizations: OrganizationOption[];
  errors: FieldErrors;
}) {
  const used = new Set(value.map((m) => m.organization));
  const free = organizations.find((o) => !used.has(o.key));
  const set = (index: number, patch: Partial<MembershipValue>) =>
    onChange(value.map((m, i) => (i === index ? { ...m, ...patch } : m)));

  return (
    <div
      className="form-row"
      role="group"
      aria-labelledby={`${idPrefix}-memberships-label`}
      data-testid={`${idPrefix}-memberships`}
    >
      <span id={`${idPrefix}-memberships-label`} className="label">
        Organization memberships
      </span>
      {value.length === 0 ? (
        <span className="muted small">No organization: the user cannot use the app unless staff.</span>
      ) : null}
      {value.map((m, i) => {
        const organizationId = `${idPrefix}-membership-${i}-organization`;
        const roleId = `${idPrefix}-membership-${i}-role`;
        const error =
          errors[`memberships.${i}.organization`] ?? errors[`memberships.${i}.role`] ?? errors[`memberships.${i}`];
        return (
          <div key={i} className="stacked">
            <div className="inline-fields">
              <label htmlFor={organizationId} className="muted small">
                Organization {i + 1}
              </label>
              <select
                id={organizationId}
                value={m.organization}
                onChange={(event) => set(i, { organization: event.target.value })}
              >
                {organizations.some((o) => o.key === m.organization) ? null : (
                  <option value={m.organization}>{m.organization}</option>
                )}
                {organizations.map((o) => (
                  <option key={o.key} value={o.key} disabled={o.key !== m.organization && used.has(o.key)}>
                    {o.key} – {o.name}
                  </option>
                ))}
              </select>
              <label htmlFor={roleId} className="muted small">
                Role {i + 1}
              </label>
              <select
                id={roleId}
                value={m.role}
                onChange={(event) => set(i, { role: event.target.value as MembershipValue["role"] })}
              >
                {MEMBERSHIP_ROLES.map((role) => (
                  <option key={role} value={role}>
                    {role}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="btn btn-small btn-ghost"
                onClick={() => onChange(value.filter((_, j) => j !== i))}
                aria-label={`Remove membership ${i + 1}`}
              >
                Remove
              </button>
            </div>
            <FieldError id={`${organizationId}-error`} message={error} />
          </div>
        );
      })}
      <div>
        <button
          type="button"
          className="btn btn-small"
          disabled={!free}
          onClick={() => free && onChange([...value, { organization: free.key, role: "author" }])}
        >
          + Add membership
        </button>
      </div>
      <FieldError id={`${idPrefix}-memberships-error`} message={errors.memberships} />
    </div>
  );
}

/** Username and name, as both users forms show them. */
export function NameFields({
  idPrefix,
  values,
  onChange,
  errors,
}: {
  idPrefix: string;
  values: { username: string; name: string };
  onChange: (patch: { username?: string; name?: string }) => void;
  errors: FieldErrors;
}) {
  return (
    <>
      <TextField
        id={`${idPrefix}-username`}
        label="Username"
        value={values.username}
        onChange={(username) => onChange({ username })}
        error={errors.username}
      />
      <TextField
        id={`${idPrefix}-name`}
        label="Name"
        value={values.name}
        onChange={(name) => onChange({ name })}
        error={errors.name}
      />
    </>
  );
}
