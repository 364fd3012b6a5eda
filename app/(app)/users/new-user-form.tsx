"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";

import type { OrganizationOption } from "@/lib/users/list-organizations";
import { type CreateUserFormValues, createUserSchema, fieldErrorsOf } from "@/lib/users/schemas";
import type { UserDetail } from "@/lib/users/to-user-detail";

import {
  type FieldErrors,
  type MembershipValue,
  MembershipsFields,
  NameFields,
  TextField,
  sendUserRequest,
} from "./user-form-fields";

const EMPTY = { email: "", username: "", name: "", isStaff: false, memberships: [] as MembershipValue[] };

/** "New user": checked with the API's own schema before posting to POST /api/users. */
export function NewUserForm({ organizations }: { organizations: OrganizationOption[] }) {
  const router = useRouter();
  const [values, setValues] = useState(EMPTY);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<UserDetail | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const set = (patch: Partial<typeof EMPTY>) => setValues((v) => ({ ...v, ...patch }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setCreated(null);
    const parsed = createUserSchema.safeParse(values satisfies CreateUserFormValues);
    if (!parsed.success) {
      setFieldErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    setSubmitting(true);
    const outcome = await sendUserRequest("/api/users", "POST", parsed.data);
    setSubmitting(false);
    if (!outcome.ok) {
      setFieldErrors(outcome.fieldErrors);
      setError(outcome.message);
      return;
    }
    setCreated(outcome.user);
    setValues(EMPTY);
    router.refresh();
  }

  return (
    <form
      className="card submit-form"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="new-user-heading"
      data-testid="new-user-form"
    >
      <h2 id="new-user-heading">New user</h2>
      <div className="inline-fields">
        <TextField
          id="new-user-email"
          label="Email"
          inputMode="email"
          value={values.email}
          onChange={(email) => set({ email })}
          error={fieldErrors.email}
        />
        <NameFields idPrefix="new-user" values={values} onChange={set} errors={fieldErrors} />
      </div>
      <MembershipsFields
        idPrefix="new-user"
        value={values.memberships}
        onChange={(memberships) => set({ memberships })}
        organizations={organizations}
        errors={fieldErrors}
      />
      <label className="checkbox">
        <input type="checkbox" checked={values.isStaff} onChange={(event) => set({ isStaff: event.target.checked })} />
        Staff (sees and manages everything, including users)
      </label>
      {error ? (
        <p className="alert alert-error" role="alert" data-testid="new-user-error">
          {error}
        </p>
      ) : null}
      {created ? (
        <p className="alert alert-info" role="status" data-testid="new-user-created">
          Created <Link href={`/users/${created.id}`}>{created.email}</Link>
          {created.memberships.length
            ? ` (${created.memberships.map((m) => `${m.role} at ${m.organization}`).join(", ")})`
            : ""}
          .
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={submitting}>
          {submitting ? "Creating…" : "Create user"}
        </button>
      </div>
    </form>
  );
}
