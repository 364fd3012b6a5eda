"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";

import { PreviewBadge } from "@/components/bulk/preview-badge";
import { DataTable, useDataTable } from "@/components/ui/data-table";
import { StatusBadge } from "@/components/ui/status-badge";
import type { OperationRowItem, RowChange } from "@/lib/bulk/results/list-operation-rows";

const MAX_VALUE_LENGTH = 80;
/** Changes listed inline; the rest fold into a "more" toggle so one wide row cannot swamp the table. */
const INLINE_CHANGES = 4;

function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === "") {
    return "(empty)";
  }
  const text = Array.isArray(value)
    ? value.join(", ")
    : typeof value === "object"
      ? JSON.stringify(value)
      : String(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}…` : text;
}

function ChangeItem({ change }: { change: RowChange }) {
  return (
    <li>
      <span className="diff-field">{change.field}</span>:{" "}
      <del title={String(change.before ?? "")}>{formatValue(change.before)}</del>
      {" → "}
      <ins title={String(change.after ?? "")}>{formatValue(change.after)}</ins>
    </li>
  );
}

/** Every changed field as `field: before → after`. */
function Changes({ changes }: { changes: RowChange[] }) {
  const shown = changes.slice(0, INLINE_CHANGES);
  const rest = changes.slice(INLINE_CHANGES);
  return (
    <div className="diff" data-testid="row-diff">
      <ul>
        {shown.map((c) => (
          <ChangeItem key={c.field} change={c} />
        ))}
      </ul>
      {rest.length ? (
        <details>
          <summary>
            {rest.length} more field{rest.length === 1 ? "" : "s"}
          </summary>
          <ul>
            {rest.map((c) => (
              <ChangeItem key={c.field} change={c} />
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/** A settled row's own status wins (validation rejected it); otherwise what the preview computed. */
function previewOutcome(row: OperationRowItem) {
  return row.status !== "pending" ? row.status : (row.previewStatus ?? "pending");
}

function buildColumns(previewed: boolean): ColumnDef<OperationRowItem>[] {
  return [
    { id: "row", header: "Row", meta: { className: "num" }, cell: ({ row }) => row.original.rowNumber },
    previewed
      ? {
          id: "outcome",
          header: "Would",
          meta: { className: "nowrap" },
          cell: ({ row }) => <PreviewBadge outcome={previewOutcome(row.original)} />,
        }
      : {
          id: "status",
          header: "Status",
          meta: { className: "nowrap" },
          cell: ({ row }) => <StatusBadge status={row.original.status} />,
        },
    {
      id: "target",
      header: "Target",
      cell: ({ row }) =>
        row.original.targetLabel ? <code>{row.original.targetLabel}</code> : <span className="muted">—</span>,
    },
    {
      id: "result",
      header: "Result",
      cell: ({ row }) => {
        const r = row.original;
        if (r.errorCode || r.errorMessage) {
          return (
            <div className="row-error">
              {r.errorCode ? <code className="error-code">{r.errorCode}</code> : null}
              {r.errorColumn && !r.errorMessage?.includes(r.errorColumn) ? (
                <span className="muted small">
                  {" "}
                  column <code>{r.errorColumn}</code>
                </span>
              ) : null}
              {r.errorMessage ? <div>{r.errorMessage}</div> : null}
            </div>
          );
        }
        if (r.changes) {
          return <Changes changes={r.changes} />;
        }
        const outcome = previewed ? previewOutcome(r) : r.status;
        return <span className="muted">{outcome === "unchanged" ? "No field differs" : "—"}</span>;
      },
    },
    {
      id: "course",
      header: "Course",
      cell: ({ row }) => {
        const { course, courseRunKey } = row.original;
        if (!course) {
          return <span className="muted">—</span>;
        }
        return (
          <div>
            <Link href={`/courses/${encodeURIComponent(course.key ?? course.id)}`}>{course.key ?? course.id}</Link>
            {courseRunKey ? <div className="muted small">{courseRunKey}</div> : null}
          </div>
        );
      },
    },
  ];
}

export function RowResultsTable({
  items,
  previewed = false,
  emptyMessage,
}: {
  items: OperationRowItem[];
  /** An unconfirmed preview: show what each row would do rather than its (pending) status. */
  previewed?: boolean;
  emptyMessage: string;
}) {
  const columns = useMemo(() => buildColumns(previewed), [previewed]);
  const table = useDataTable({ columns, data: items, getRowId: (r) => r.id });
  return <DataTable table={table} emptyMessage={emptyMessage} data-testid="row-results" />;
}
