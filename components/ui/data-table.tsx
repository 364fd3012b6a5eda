"use client";

import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type RowData,
  type Table,
} from "@tanstack/react-table";

declare module "@tanstack/react-table" {
  // Type parameters must match the library's declaration to merge with it.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Class for the column's header and cells (e.g. `num` right-aligns counts). */
    className?: string;
  }
}

/** The one tanstack wrapper: filtering, sorting and pagination happen on the server, so the table only renders. */
export function useDataTable<T>({
  columns,
  data,
  getRowId,
}: {
  columns: ColumnDef<T>[];
  data: T[];
  /** Stable React keys across refreshes; defaults to the row index. */
  getRowId?: (row: T) => string;
}) {
  return useReactTable({
    columns,
    data,
    getRowId,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
  });
}

export function DataTable<T>({
  table,
  emptyMessage = "Nothing to show.",
  "data-testid": testId,
}: {
  table: Table<T>;
  emptyMessage?: string;
  "data-testid"?: string;
}) {
  const columnCount = table.getVisibleLeafColumns().length;
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} className={header.column.columnDef.meta?.className}>
                  {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.length === 0 ? (
            <tr>
              <td colSpan={columnCount} className="table-empty">
                {emptyMessage}
              </td>
            </tr>
          ) : (
            table.getRowModel().rows.map((row) => (
              <tr key={row.id}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={cell.column.columnDef.meta?.className}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
