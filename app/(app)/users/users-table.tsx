"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";

import { DataTable, useDataTable } from "@/components/ui/data-table";
import type { UserDetail } from "@/lib/users/to-user-detail";

const columns: ColumnDef<UserDetail>[] = [
  {
    id: "email",
    header: "Email",
    cell: ({ row }) => <Link href={`/users/${row.original.id}`}>{row.original.email}</Link>,
  },
  {
    id: "username",
    header: "Username",
    cell: ({ row }) =>
      row.original.username ? <code>{row.original.username}</code> : <span className="muted">—</span>,
  },
  { id: "name", header: "Name", cell: ({ row }) => row.original.name ?? <span className="muted">—</span> },
  {
    id: "memberships",
    header: "Memberships",
    cell: ({ row }) =>
      row.original.memberships.length ? (
        row.original.memberships.map((m) => (
          <span key={m.organization} className="tag">
            {m.organization} · {m.role}
          </span>
        ))
      ) : (
        <span className="muted">—</span>
      ),
  },
  { id: "staff", header: "Staff", cell: ({ row }) => (row.original.isStaff ? "Yes" : "") },
];

export function UsersTable({ items, emptyMessage }: { items: UserDetail[]; emptyMessage: string }) {
  const table = useDataTable({ columns, data: items, getRowId: (u) => u.id });
  return <DataTable table={table} emptyMessage={emptyMessage} data-testid="users-table" />;
}
