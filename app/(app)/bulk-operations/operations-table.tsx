"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";

import { LiveProgress } from "@/components/bulk/live-progress";
import { formatDuration } from "@/components/bulk/stage-label";
import { DataTable, useDataTable } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { StatusBadge } from "@/components/ui/status-badge";
import type { OperationListItem, OperationSort } from "@/lib/bulk/results/list-operations";
import { operationLabel } from "@/lib/bulk/vocabulary/operation-types";
import { isRunningStatus } from "@/lib/bulk/vocabulary/statuses";

function SortLink({ href, label, direction }: { href: string; label: string; direction: "asc" | "desc" | null }) {
  return (
    <Link href={href} className="sort-link">
      {label}
      <span aria-hidden="true">{direction === "asc" ? " ▲" : direction === "desc" ? " ▼" : " ↕"}</span>
    </Link>
  );
}

const COUNT_COLUMNS: ColumnDef<OperationListItem>[] = (
  [
    ["totalRows", "Rows"],
    ["createdCount", "Created"],
    ["updatedCount", "Updated"],
    ["unchangedCount", "Unchanged"],
    ["failedCount", "Failed"],
  ] as const
).map(([key, label]) => ({
  id: key,
  header: label,
  meta: { className: "num" },
  cell: ({ row }) => {
    const value = row.original[key];
    return (
      <span className={value > 0 && key === "failedCount" ? "count-failed" : value === 0 ? "muted" : undefined}>
        {value}
      </span>
    );
  },
}));

export function OperationsTable({
  items,
  sort,
  sortHrefs,
  emptyMessage,
}: {
  items: OperationListItem[];
  sort: OperationSort;
  /** Where clicking the Date / Status header goes (the server knows the other filters). */
  sortHrefs: { date: string; status: string };
  emptyMessage: string;
}) {
  const columns = useMemo<ColumnDef<OperationListItem>[]>(
    () => [
      {
        id: "date",
        meta: { className: "nowrap" },
        header: () => (
          <SortLink
            href={sortHrefs.date}
            label="Date"
            direction={sort.startsWith("date") ? (sort === "date_asc" ? "asc" : "desc") : null}
          />
        ),
        cell: ({ row }) => (
          <Link href={`/bulk-operations/${row.original.id}`}>
            <DateTime value={row.original.createdAt} />
          </Link>
        ),
      },
      {
        id: "operation",
        header: "Operation / file",
        cell: ({ row }) => (
          <div className="stacked">
            <span>
              {operationLabel(row.original.type)}
              {row.original.mode === "preview" ? <span className="tag">preview</span> : null}
            </span>
            <Link
              href={`/bulk-operations/${row.original.id}`}
              className="file-name truncate"
              title={row.original.fileName}
            >
              {row.original.fileName}
            </Link>
          </div>
        ),
      },
      {
        id: "status",
        header: () => (
          <SortLink
            href={sortHrefs.status}
            label="Status"
            direction={sort.startsWith("status") ? (sort === "status_asc" ? "asc" : "desc") : null}
          />
        ),
        cell: ({ row }) => <StatusBadge status={row.original.status} />,
      },
      {
        id: "progress",
        header: "Progress",
        meta: { className: "progress-col" },
        cell: ({ row }) => {
          const op = row.original;
          if (isRunningStatus(op.status)) {
            return (
              <LiveProgress
                compact
                status={op.status}
                stage={op.stage}
                processedRows={op.processedRows}
                totalRows={op.totalRows}
                progress={op.progress}
              />
            );
          }
          if (op.status === "awaiting_confirmation") {
            return (
              <Link href={`/bulk-operations/${op.id}`} className="small">
                Review the preview →
              </Link>
            );
          }
          return op.durationSeconds !== null ? (
            <span className="muted small">took {formatDuration(op.durationSeconds)}</span>
          ) : (
            <span className="muted">—</span>
          );
        },
      },
      {
        id: "uploader",
        header: "Uploader",
        cell: ({ row }) => (
          <span title={row.original.uploader.email}>
            {row.original.uploader.username ?? row.original.uploader.email}
          </span>
        ),
      },
      ...COUNT_COLUMNS,
    ],
    [sort, sortHrefs.date, sortHrefs.status],
  );
  const table = useDataTable({ columns, data: items, getRowId: (op) => op.id });
  return <DataTable table={table} emptyMessage={emptyMessage} data-testid="operations-table" />;
}
