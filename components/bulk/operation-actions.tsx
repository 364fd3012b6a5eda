"use client";

import { useRouter } from "next/navigation";
import { type ReactNode, useState, useTransition } from "react";

import { isRunningStatus } from "@/lib/bulk/vocabulary/statuses";

type Action = "confirm" | "cancel";

/**
 * The buttons that move an operation on: confirm or discard a preview, cancel a running job. Each posts
 * to the API (same origin, session cookie), then refreshes the server page to show the new state.
 */
export function OperationActions({
  id,
  status,
  cancelRequested,
  permissions,
}: {
  id: string;
  status: string;
  cancelRequested: boolean;
  /** What the viewer may do (lib/bulk/operation-access); the API refuses the rest anyway. */
  permissions: Record<Action, boolean>;
}) {
  const router = useRouter();
  const [busy, startTransition] = useTransition();
  const [action, setAction] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);

  function run(next: Action) {
    setAction(next);
    setError(null);
    startTransition(async () => {
      try {
        const response = await fetch(`/api/bulk-operations/${encodeURIComponent(id)}/${next}`, {
          method: "POST",
          headers: { accept: "application/json" },
        });
        if (!response.ok) {
          const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
          setError(payload?.error?.message ?? `The request failed (HTTP ${response.status}).`);
        }
      } catch {
        setError("The request did not reach the server; check your connection and try again.");
      }
      // Also after a 409: the operation moved on without us, and the page should say where it is now.
      router.refresh();
    });
  }

  const running = isRunningStatus(status);
  const button = (next: Action, label: string, busyLabel: string, className: string, testId: string) => (
    <button type="button" className={`btn ${className}`} onClick={() => run(next)} disabled={busy} data-testid={testId}>
      {busy && action === next ? busyLabel : label}
    </button>
  );
  let buttons: ReactNode = null;
  if (status === "awaiting_confirmation") {
    buttons = (
      <>
        {permissions.confirm && button("confirm", "Confirm and apply", "Applying…", "btn-primary", "confirm-operation")}
        {permissions.cancel && button("cancel", "Discard", "Discarding…", "btn-danger-ghost", "discard-operation")}
      </>
    );
  } else if (running && cancelRequested) {
    buttons = (
      <span className="cancelling" role="status" data-testid="cancel-requested">
        Cancelling once the rows in progress are done…
      </span>
    );
  } else if (running && permissions.cancel) {
    buttons = button("cancel", "Cancel", "Cancelling…", "btn-small btn-danger-ghost", "cancel-operation");
  }
  if (!buttons && !error) {
    return null;
  }
  return (
    <div className="operation-actions">
      <div className="actions">{buttons}</div>
      {error ? (
        <p className="alert alert-error action-error" role="alert" data-testid="action-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
