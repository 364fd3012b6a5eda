"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";

import { DataTable, useDataTable } from "@/components/ui/data-table";
import type { CourseListItem } from "@/lib/catalog/list-courses";

const columns: ColumnDef<CourseListItem>[] = [
  {
    id: "key",
    header: "Key",
    cell: ({ row }) => (
      <Link href={`/courses/${encodeURIComponent(row.original.key)}`}>
        <code>{row.original.key}</code>
      </Link>
    ),
  },
  {
    id: "title",
    header: "Title",
    cell: ({ row }) => <Link href={`/courses/${encodeURIComponent(row.original.key)}`}>{row.original.title}</Link>,
  },
  {
    id: "organization",
    header: "Organization",
    cell: ({ row }) => row.original.organizations.map((o) => o.key).join(", "),
  },
  { id: "type", header: "Type", cell: ({ row }) => row.original.courseType },
  { id: "runs", header: "Runs", meta: { className: "num" }, cell: ({ row }) => row.original.runsCount },
];

export function CoursesTable({ items, emptyMessage }: { items: CourseListItem[]; emptyMessage: string }) {
  const table = useDataTable({ columns, data: items, getRowId: (c) => c.id });
  return <DataTable table={table} emptyMessage={emptyMessage} data-testid="courses-table" />;
}
