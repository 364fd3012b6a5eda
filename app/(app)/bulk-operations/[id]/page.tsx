import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";

import { AutoRefresh } from "@/components/bulk/auto-refresh";
import { isRunning } from "@/components/bulk/running";
import { formatBytes } from "@/components/bulk/format-bytes";
import { ProgressBar } from "@/components/bulk/progress-bar";
import { DateTime } from "@/components/ui/date-time";
import { NoAccess } from "@/components/ui/no-access";
import { Pagination, hrefWith } from "@/components/ui/pagination";
import { StatusBadge } from "@/components/ui/status-badge";
import { getActingUser } from "@/lib/auth/require-user";
import { getOperation } from "@/lib/bulk/get-operation";
import { listOperationRows, listOperationRowsQuery } from "@/lib/bulk/list-operation-rows";
import { operationLabel } from "@/lib/bulk/operation-types";

import { RowFilters } from "./row-filters";
import { RowResultsTable } from "./row-results-table";

export const metadata: Metadata = { title: "Bulk operation" };

export default async function BulkOperationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const path = `/bulk-operations/${encodeURIComponent(id)}`;
  const user = await getActingUser();
  if (!user) {
    redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  }
  if (!user.isStaff && user.memberships.length === 0) {
    return <NoAccess />;
  }

  const query = listOperationRowsQuery.parse(await searchParams);
  const [operation, rows] = await Promise.all([
    getOperation({ user, id }),
    listOperationRows({
      user,
      operationId: id,
      status: query.rowStatus,
      errorCode: query.errorCode,
      q: query.q,
      page: query.page,
      pageSize: query.pageSize,
    }),
  ]);
  if (!operation) {
    notFound();
  }

  const running = isRunning(operation.status);
  const rowFilters = { rowStatus: query.rowStatus, errorCode: query.errorCode, q: query.q };
  const counts = [
    { label: "Total rows", value: operation.totalRows, className: "" },
    { label: "Created", value: operation.createdCount, className: "stat-created" },
    { label: "Updated", value: operation.updatedCount, className: "stat-updated" },
    { label: "Unchanged", value: operation.unchangedCount, className: "stat-unchanged" },
    { label: "Failed", value: operation.failedCount, className: operation.failedCount ? "stat-failed" : "" },
  ];

  return (
    <>
      <div className="page-header">
        <div>
          <p className="breadcrumb">
            <Link href="/bulk-operations">Bulk operations</Link> /
          </p>
          <h1>
            {operationLabel(operation.type)}
            {operation.mode === "preview" ? <span className="tag tag-large">preview</span> : null}
          </h1>
          <p className="muted">
            <a
              href={`/api/bulk-operations/${operation.id}/file`}
              className="file-name"
              data-testid="original-file-link"
            >
              {operation.fileName}
            </a>{" "}
            ({formatBytes(operation.fileSize)}) uploaded by {operation.uploader.name ?? operation.uploader.email}
          </p>
        </div>
        <div className="status-block">
          <StatusBadge status={operation.status} data-testid="operation-status" />
          <AutoRefresh active={running} />
        </div>
      </div>

      {operation.errorMessage ? (
        <p className="alert alert-error" role="alert" data-testid="operation-error">
          {operation.errorMessage}
        </p>
      ) : null}
      {operation.mode === "preview" ? (
        <p className="alert alert-info">
          {operation.status === "awaiting_confirmation"
            ? "Validated in preview mode: nothing has been written yet. Review the row results and changes below."
            : "Preview mode: the file is only validated; nothing is written to the catalog."}
        </p>
      ) : null}

      {running ? (
        <section className="card">
          <h2>In progress</h2>
          <p>
            Stage: <strong data-testid="operation-stage">{operation.stage ?? operation.status}</strong>
            {operation.cancelRequested ? <span className="tag">cancel requested</span> : null}
          </p>
          <ProgressBar done={operation.processedRows} total={operation.totalRows} />
        </section>
      ) : null}

      <section className="stat-grid" data-testid="operation-counts">
        {counts.map((c) => (
          <div key={c.label} className={`stat ${c.className}`}>
            <span className="stat-value">{c.value.toLocaleString("en-US")}</span>
            <span className="stat-label">{c.label}</span>
          </div>
        ))}
      </section>

      <section className="card">
        <dl className="details">
          <dt>Operation</dt>
          <dd>
            {operationLabel(operation.type)} <code>{operation.type}</code>
          </dd>
          <dt>Mode</dt>
          <dd>{operation.mode}</dd>
          <dt>Stage</dt>
          <dd>{operation.stage ?? <span className="muted">—</span>}</dd>
          <dt>Uploader</dt>
          <dd>
            {operation.uploader.name ? `${operation.uploader.name} · ` : ""}
            {operation.uploader.email}
          </dd>
          <dt>File</dt>
          <dd>
            <a href={`/api/bulk-operations/${operation.id}/file`}>{operation.fileName}</a>{" "}
            <span className="muted small" title={`SHA-256 ${operation.fileChecksum}`}>
              {formatBytes(operation.fileSize)} · sha256 {operation.fileChecksum.slice(0, 12)}…
            </span>
          </dd>
          <dt>Uploaded</dt>
          <dd>
            <DateTime value={operation.createdAt} />
          </dd>
          <dt>Started</dt>
          <dd>
            <DateTime value={operation.startedAt} />
          </dd>
          <dt>Finished</dt>
          <dd>
            <DateTime value={operation.finishedAt} />
          </dd>
          <dt>Summary email</dt>
          <dd>
            <DateTime value={operation.emailSentAt} />
          </dd>
        </dl>
      </section>

      {operation.warnings.length ? (
        <section className="card" data-testid="operation-warnings">
          <h2>File warnings</h2>
          <ul className="warning-list">
            {operation.warnings.map((w, i) => (
              <li key={i}>
                <code>{w.code}</code> {w.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" data-testid="error-groups">
        <div className="section-header">
          <h2>Errors by code</h2>
          {operation.failedCount > 0 ? (
            <a
              className="btn btn-small"
              href={`/api/bulk-operations/${operation.id}/errors.csv`}
              data-testid="error-csv-link"
            >
              ⤓ Download error CSV
            </a>
          ) : null}
        </div>
        {operation.errorGroups.length ? (
          <table className="table table-compact">
            <thead>
              <tr>
                <th>Code</th>
                <th className="num">Rows</th>
                <th>Example</th>
              </tr>
            </thead>
            <tbody>
              {operation.errorGroups.map((g) => (
                <tr key={g.code}>
                  <td>
                    <Link href={hrefWith(path, { rowStatus: "failed", errorCode: g.code })}>
                      <code>{g.code}</code>
                    </Link>
                  </td>
                  <td className="num">{g.count}</td>
                  <td>
                    {/* Row messages name their row and column already; fall back to them for a bare code. */}
                    {g.example.message ??
                      `Row ${g.example.rowNumber}${g.example.column ? `, column ${g.example.column}` : ""}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">{running ? "No failed rows so far." : "No row failed."}</p>
        )}
      </section>

      <section className="card">
        <div className="section-header">
          <h2>Row results</h2>
          <RowFilters
            key={`${query.rowStatus}:${query.errorCode}:${query.q}`}
            path={path}
            failedOnly={query.rowStatus === "failed"}
            errorCode={query.errorCode}
            q={query.q}
          />
        </div>
        {query.errorCode ? (
          <p className="filter-chip">
            Error code <code>{query.errorCode}</code>{" "}
            <Link href={hrefWith(path, { ...rowFilters, errorCode: undefined })} aria-label="Remove error code filter">
              ✕
            </Link>
          </p>
        ) : null}
        <RowResultsTable
          items={rows.items}
          emptyMessage={
            query.rowStatus || query.errorCode || query.q
              ? "No row matches these filters."
              : running
                ? "Rows appear here once validation has read the file."
                : "This operation has no rows."
          }
        />
        <Pagination path={path} query={rowFilters} page={rows.page} pageSize={rows.pageSize} total={rows.total} />
      </section>
    </>
  );
}
