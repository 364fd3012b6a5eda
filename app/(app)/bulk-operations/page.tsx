import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";

import { AutoRefresh } from "@/components/bulk/auto-refresh";
import { NoAccess } from "@/components/ui/no-access";
import { Pagination, hrefWith } from "@/components/ui/pagination";
import { getPageUser, hasAccess } from "@/lib/auth/page-user";
import { listOperations, listOperationsQuery, type OperationSort } from "@/lib/bulk/results/list-operations";
import { OPERATION_TYPES } from "@/lib/bulk/vocabulary/operation-types";
import { isRunningStatus } from "@/lib/bulk/vocabulary/statuses";
import { BulkOperationStatus } from "@/lib/generated/prisma/enums";

import type { SearchParams } from "../search-params";
import { OperationsTable } from "./operations-table";

export const metadata: Metadata = { title: "Bulk operations" };

const PATH = "/bulk-operations";

export default async function BulkOperationsPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await getPageUser(PATH);
  if (!hasAccess(user)) {
    return <NoAccess />;
  }

  const query = listOperationsQuery.parse(await searchParams);
  const result = await listOperations({ user, ...query });
  const filters = { status: query.status, type: query.type, uploader: query.uploader, sort: query.sort };
  const sortHref = (sort: OperationSort) => hrefWith(PATH, { ...filters, pageSize: String(query.pageSize) }, { sort });
  const filtered = Boolean(query.status || query.type || query.uploader);

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Bulk operations</h1>
          <p className="muted">
            {user.isStaff
              ? "Every operation, newest first."
              : "Operations uploaded by you and by members of your organizations."}
          </p>
        </div>
        <div className="actions">
          <AutoRefresh
            active={result.items.some((op) => isRunningStatus(op.status))}
            probeUrl="/api/bulk-operations?pageSize=1"
          />
          <Link href="/bulk-operations/new" className="btn btn-primary">
            New bulk operation
          </Link>
        </div>
      </div>

      <Form className="filters card" action={PATH}>
        <label>
          Status
          <select name="status" defaultValue={query.status ?? ""}>
            <option value="">Any status</option>
            {Object.values(BulkOperationStatus).map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <label>
          Operation
          <select name="type" defaultValue={query.type ?? ""}>
            <option value="">Any operation</option>
            {OPERATION_TYPES.map(({ type, label }) => (
              <option key={type} value={type}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Uploader
          <input type="search" name="uploader" placeholder="Email, username or name" defaultValue={query.uploader} />
        </label>
        <label>
          Sort
          <select name="sort" defaultValue={query.sort}>
            <option value="date_desc">Newest first</option>
            <option value="date_asc">Oldest first</option>
            <option value="status_asc">Status (running first)</option>
            <option value="status_desc">Status (finished first)</option>
          </select>
        </label>
        <label>
          Per page
          <select name="pageSize" defaultValue={String(query.pageSize)}>
            {[10, 25, 50, 100].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <div className="filters-actions">
          <button type="submit" className="btn btn-primary">
            Apply
          </button>
          {filtered ? (
            <Link href={PATH} className="btn btn-ghost">
              Clear
            </Link>
          ) : null}
        </div>
      </Form>

      <OperationsTable
        items={result.items}
        sort={query.sort}
        sortHrefs={{
          date: sortHref(query.sort === "date_desc" ? "date_asc" : "date_desc"),
          status: sortHref(query.sort === "status_asc" ? "status_desc" : "status_asc"),
        }}
        emptyMessage={filtered ? "No operation matches these filters." : "No bulk operations yet."}
      />
      <Pagination path={PATH} query={filters} page={result.page} pageSize={result.pageSize} total={result.total} />
    </>
  );
}
