"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";

import { DataTable, useDataTable } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import type { ApiTokenStatus, ApiTokenSummary } from "@/lib/auth/api-token-schemas";

// The badge colours of statuses that mean the same: in use, lapsed, ended on purpose.
const BADGE_CLASS: Record<ApiTokenStatus, string> = {
  active: "badge-completed",
  expired: "badge-awaiting_confirmation",
  revoked: "badge-cancelled",
};

/** Revoke, after a confirmation in place; DELETE /api/tokens/{id}, then the page reloads its list. */
function RevokeAction({ token }: { token: ApiTokenSummary }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  if (token.status !== "active") {
    return null;
  }
  if (!confirming) {
    return (
      <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => setConfirming(true)}>
        Revoke
      </button>
    );
  }

  function revoke() {
    setError(null);
    startTransition(async () => {
      try {
        const response = await fetch(`/api/tokens/${encodeURIComponent(token.id)}`, { method: "DELETE" });
        if (!response.ok) {
          const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
          setError(payload?.error?.message ?? `The request failed (HTTP ${response.status}).`);
          return;
        }
      } catch {
        setError("The request did not reach the server; check your connection and try again.");
        return;
      }
      router.refresh();
    });
  }

  return (
    <div className="stacked">
      <span className="small">Revoke “{token.name}” now? Scripts using it stop working.</span>
      <div className="actions">
        <button type="button" className="btn btn-small btn-danger-ghost" onClick={revoke} disabled={busy}>
          {busy ? "Revoking…" : "Yes, revoke"}
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirming(false)} disabled={busy}>
          Keep
        </button>
      </div>
      {error ? (
        <span className="small count-failed" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

const columns: ColumnDef<ApiTokenSummary>[] = [
  {
    id: "name",
    header: "Name",
    cell: ({ row }) => (
      <span className="truncate" title={row.original.name}>
        {row.original.name}
      </span>
    ),
  },
  { id: "created", header: "Created", cell: ({ row }) => <DateTime value={row.original.createdAt} /> },
  {
    id: "expires",
    header: "Expires",
    cell: ({ row }) => (
      <span data-testid="token-expires">
        {row.original.expiresAt ? <DateTime value={row.original.expiresAt} /> : <span className="muted">never</span>}
      </span>
    ),
  },
  {
    id: "lastUsed",
    header: "Last used",
    cell: ({ row }) => (
      <span data-testid="token-last-used">
        {row.original.lastUsedAt ? <DateTime value={row.original.lastUsedAt} /> : <span className="muted">never</span>}
      </span>
    ),
  },
  {
    id: "status",
    header: "Status",
    cell: ({ row }) => <span className={`badge ${BADGE_CLASS[row.original.status]}`}>{row.original.status}</span>,
  },
  { id: "actions", header: "", cell: ({ row }) => <RevokeAction token={row.original} /> },
];

export function TokensTable({ items }: { items: ApiTokenSummary[] }) {
  const table = useDataTable({ columns, data: items, getRowId: (t) => t.id });
  return <DataTable table={table} emptyMessage="No API tokens yet." data-testid="tokens-table" />;
}
