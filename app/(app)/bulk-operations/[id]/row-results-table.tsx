"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";

import { DataTable, useDataTable } from "@/components/ui/data-table";
import { StatusBadge } from "@/components/ui/status-badge";
import type { OperationRowItem, RowChange } from "@/lib/bulk/list-operation-rows";

const MAX_VALUE_LENGTH = 80;

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

function Changes({ changes }: { changes: RowChange[] }) {
  return (
    <details className="changes">
      <summary>
        {changes.length} field{changes.length === 1 ? "" : "s"} changed
      </summary>
      <ul>
        {changes.map((c) => (
          <li key={c.field}>
            <code>{c.field}</code>: <del>{formatValue(c.before)}</del> → <ins>{formatValue(c.after)}</ins>
          </li>
        ))}
      </ul>
    </details>
  );
}

const columns: ColumnDef<OperationRowItem>[] = [
  { id: "row", header: "Row", meta: { className: "num" }, cell: ({ row }) => row.original.rowNumber },
  { id: "status", header: "Status", cell: ({ row }) => <StatusBadge status={row.original.status} /> },
  {
    id: "target",
    header: "Target",
    cell: ({ row }) =>
      row.original.targetKey ? <code>{row.original.targetKey}</code> : <span className="muted">—</span>,
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
      return r.changes ? <Changes changes={r.changes} /> : <span className="muted">—</span>;
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

export function RowResultsTable({ items, emptyMessage }: { items: OperationRowItem[]; emptyMessage: string }) {
  const table = useDataTable({ columns, data: items, getRowId: (r) => r.id });
  return <DataTable table={table} emptyMessage={emptyMessage} data-testid="row-results" />;
}
