"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import type { OrganizationOption } from "@/lib/users/list-organizations";
import { fieldErrorsOf, updateUserSchema } from "@/lib/users/schemas";
import type { UserDetail } from "@/lib/users/to-user-detail";

import { MembershipsFields, NameFields, sendUserRequest, type FieldErrors } from "../user-form-fields";

function formValues(user: UserDetail) {
  return { name: user.name ?? "", username: user.username ?? "", isStaff: user.isStaff, memberships: user.memberships };
}

/** Edits name, username, staff flag and the whole membership set with one PATCH /api/users/{id}. */
export function EditUserForm({
  user,
  organizations,
  isSelf,
}: {
  user: UserDetail;
  organizations: OrganizationOption[];
  isSelf: boolean;
}) {
  const router = useRouter();
  // What the server holds: the form sends only the differences, and restarts from the saved user.
  const [saved, setSaved] = useState<UserDetail>(user);
  const [values, setValues] = useState(() => formValues(user));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [justSaved, setJustSaved] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const set = (patch: Partial<typeof values>) => {
    setJustSaved(false);
    setValues((v) => ({ ...v, ...patch }));
  };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    // Only what changed: a user made by a sign-in may have no username, and saving roles must not demand one.
    const changes = {
      ...(values.name !== (saved.name ?? "") ? { name: values.name } : {}),
      ...(values.username !== (saved.username ?? "") ? { username: values.username } : {}),
      ...(values.isStaff !== saved.isStaff ? { isStaff: values.isStaff } : {}),
      ...(JSON.stringify(values.memberships) !== JSON.stringify(saved.memberships)
        ? { memberships: values.memberships }
        : {}),
    };
    const parsed = updateUserSchema.safeParse(changes);
    if (!parsed.success) {
      setFieldErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    setSubmitting(true);
    const outcome = await sendUserRequest(`/api/users/${encodeURIComponent(user.id)}`, "PATCH", parsed.data);
    setSubmitting(false);
    if (!outcome.ok) {
      setFieldErrors(outcome.fieldErrors);
      setError(outcome.message);
      return;
    }
    setSaved(outcome.user);
    setValues(formValues(outcome.user));
    setJustSaved(true);
    // The page header (name, staff tag, updated time) is server-rendered.
    router.refresh();
  }

  return (
    <form className="card submit-form" onSubmit={onSubmit} noValidate data-testid="edit-user-form">
      <div className="inline-fields">
        <NameFields idPrefix="user" values={values} onChange={set} errors={fieldErrors} />
      </div>
      <MembershipsFields
        idPrefix="user"
        value={values.memberships}
        onChange={(memberships) => set({ memberships })}
        organizations={organizations}
        errors={fieldErrors}
      />
      <div className="stacked">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={values.isStaff}
            disabled={isSelf && saved.isStaff}
            onChange={(event) => set({ isStaff: event.target.checked })}
          />
          Staff (sees and manages everything, including users)
        </label>
        {isSelf && saved.isStaff ? <span className="muted small">You cannot remove your own staff flag.</span> : null}
        {fieldErrors.isStaff ? <span className="small count-failed">{fieldErrors.isStaff}</span> : null}
      </div>
      {error ? (
        <p className="alert alert-error" role="alert" data-testid="edit-user-error">
          {error}
        </p>
      ) : null}
      {justSaved ? (
        <p className="alert alert-info" role="status" data-testid="edit-user-saved">
          Saved.
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={submitting}>
          {submitting ? "Saving…" : "Save changes"}
        </button>
      </div>
    </form>
  );
}
