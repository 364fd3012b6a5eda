import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { AutoRefresh } from "@/components/bulk/auto-refresh";
import { formatBytes } from "@/components/bulk/format-bytes";
import { LiveProgress } from "@/components/bulk/live-progress";
import { OperationActions } from "@/components/bulk/operation-actions";
import { formatDuration, stageLabel } from "@/components/bulk/stage-label";
import { DateTime } from "@/components/ui/date-time";
import { NoAccess } from "@/components/ui/no-access";
import { Pagination, hrefWith } from "@/components/ui/pagination";
import { StatusBadge } from "@/components/ui/status-badge";
import { getPageUser, hasAccess } from "@/lib/auth/page-user";
import { getOperation } from "@/lib/bulk/results/get-operation";
import { listOperationRows, listOperationRowsQuery } from "@/lib/bulk/results/list-operation-rows";
import { operationLabel } from "@/lib/bulk/vocabulary/operation-types";
import { isRunningStatus } from "@/lib/bulk/vocabulary/statuses";

import type { SearchParams } from "../../search-params";
import { RowFilters } from "./row-filters";
import { RowResultsTable } from "./row-results-table";

export const metadata: Metadata = { title: "Bulk operation" };

type Stat = { label: string; value: number; className: string; href?: string; testId?: string };

function StatGrid({ stats, testId }: { stats: Stat[]; testId: string }) {
  return (
    <div className="stat-grid" data-testid={testId}>
      {stats.map((s) => {
        const body = (
          <>
            <span className="stat-value">{s.value.toLocaleString("en-US")}</span>
            <span className="stat-label">{s.label}</span>
          </>
        );
        return s.href ? (
          <Link
            key={s.label}
            href={s.href}
            scroll={false}
            className={`stat stat-link ${s.className}`}
            data-testid={s.testId}
          >
            {body}
          </Link>
        ) : (
          <div key={s.label} className={`stat ${s.className}`} data-testid={s.testId}>
            {body}
          </div>
        );
      })}
    </div>
  );
}

export default async function BulkOperationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: SearchParams;
}) {
  const { id } = await params;
  const path = `/bulk-operations/${encodeURIComponent(id)}`;
  const user = await getPageUser(path);
  if (!hasAccess(user)) {
    return <NoAccess />;
  }

  const query = listOperationRowsQuery.parse(await searchParams);
  const [operation, rows] = await Promise.all([
    getOperation({ user, id }),
    listOperationRows({
      user,
      operationId: id,
      status: query.rowStatus,
      previewStatus: query.previewStatus,
      errorCode: query.errorCode,
      q: query.q,
      page: query.page,
      pageSize: query.pageSize,
    }),
  ]);
  if (!operation) {
    notFound();
  }

  const running = isRunningStatus(operation.status);
  const awaiting = operation.status === "awaiting_confirmation";
  // An unconfirmed preview wrote nothing: its rows show what they would do, and filters use previewStatus.
  const previewed = operation.preview !== null;
  const statusKey = previewed ? "previewStatus" : "rowStatus";
  const outcome = previewed ? query.previewStatus : query.rowStatus;
  const rowFilters = {
    rowStatus: query.rowStatus,
    previewStatus: query.previewStatus,
    errorCode: query.errorCode,
    q: query.q,
  };
  const filterHref = (status: string) => hrefWith(path, { [statusKey]: status });
  const failed = operation.preview ? operation.preview.failed : operation.failedCount;
  const errorCsvHref = `/api/bulk-operations/${operation.id}/errors.csv`;
  const fileHref = `/api/bulk-operations/${operation.id}/file`;
  const duration =
    operation.finishedAt && operation.startedAt
      ? (Date.parse(operation.finishedAt) - Date.parse(operation.confirmedAt ?? operation.startedAt)) / 1000
      : null;

  return (
    <>
      <div className="page-header">
        <div>
          <p className="breadcrumb">
            <Link href="/bulk-operations">Bulk operations</Link> /
          </p>
          <h1>
            {operationLabel(operation.type)}
            {operation.mode === "preview" ? <span className="tag tag-large">preview first</span> : null}
          </h1>
          <p className="muted">
            <a href={fileHref} className="file-name" data-testid="original-file-link">
              {operation.fileName}
            </a>{" "}
            ({formatBytes(operation.fileSize)}) uploaded by {operation.uploader.name ?? operation.uploader.email}
          </p>
        </div>
        <div className="status-block">
          <StatusBadge status={operation.status} data-testid="operation-status" />
          <AutoRefresh active={running} probeUrl={`/api/bulk-operations/${operation.id}`} />
        </div>
      </div>

      {operation.errorMessage ? (
        <p className="alert alert-error" role="alert" data-testid="operation-error">
          {operation.errorMessage}
        </p>
      ) : null}

      {running ? (
        <section className="card progress-card" data-testid="progress-card">
          <div className="section-header">
            <h2>{operation.mode === "preview" && !operation.confirmedAt ? "Preparing the preview" : "In progress"}</h2>
            <OperationActions
              id={operation.id}
              status={operation.status}
              cancelRequested={operation.cancelRequested}
              permissions={operation.permissions}
            />
          </div>
          <LiveProgress
            status={operation.status}
            stage={operation.stage}
            processedRows={operation.processedRows}
            totalRows={operation.totalRows}
            progress={operation.progress}
          />
          {operation.mode === "preview" && !operation.confirmedAt ? (
            <p className="muted small progress-note">
              Preview mode: every row is checked against the catalog, and nothing is written until you confirm.
            </p>
          ) : null}
        </section>
      ) : null}

      {operation.preview && !running ? (
        <section
          className={awaiting ? "card preview-panel" : "card preview-panel preview-panel-closed"}
          data-testid="preview-panel"
        >
          <div className="preview-panel-head">
            <div>
              <h2>
                {awaiting
                  ? "Preview: nothing has been written yet"
                  : operation.status === "cancelled"
                    ? "Preview discarded: nothing was written"
                    : "Preview ended: nothing was written"}
              </h2>
              <p className="muted">
                {!awaiting
                  ? "This is what the preview found; the operation was not applied."
                  : operation.permissions.confirm
                    ? "Every row was checked against the catalog as it is now. Review what would happen below, then confirm to apply it, or discard the file. Rows are checked again as they are applied."
                    : `Every row was checked against the catalog as it is now. Only ${operation.uploader.name ?? operation.uploader.email} or staff can confirm it.`}
              </p>
            </div>
            <OperationActions
              id={operation.id}
              status={operation.status}
              cancelRequested={operation.cancelRequested}
              permissions={operation.permissions}
            />
          </div>
          <StatGrid
            testId="preview-counts"
            stats={[
              { label: "Rows", value: operation.totalRows, className: "", href: path },
              {
                label: "Would create",
                value: operation.preview.created,
                className: "stat-created",
                href: filterHref("created"),
                testId: "preview-created",
              },
              {
                label: "Would update",
                value: operation.preview.updated,
                className: "stat-updated",
                href: filterHref("updated"),
                testId: "preview-updated",
              },
              {
                label: "Unchanged",
                value: operation.preview.unchanged,
                className: "stat-unchanged",
                href: filterHref("unchanged"),
                testId: "preview-unchanged",
              },
              {
                label: "Would fail",
                value: operation.preview.failed,
                className: operation.preview.failed ? "stat-failed" : "",
                href: filterHref("failed"),
                testId: "preview-failed",
              },
            ]}
          />
        </section>
      ) : null}

      {previewed ? null : (
        <StatGrid
          testId="operation-counts"
          stats={[
            { label: "Total rows", value: operation.totalRows, className: "", href: path },
            { label: "Created", value: operation.createdCount, className: "stat-created", href: filterHref("created") },
            { label: "Updated", value: operation.updatedCount, className: "stat-updated", href: filterHref("updated") },
            {
              label: "Unchanged",
              value: operation.unchangedCount,
              className: "stat-unchanged",
              href: filterHref("unchanged"),
            },
            {
              label: "Failed",
              value: operation.failedCount,
              className: operation.failedCount ? "stat-failed" : "",
              href: filterHref("failed"),
            },
          ]}
        />
      )}

      <section className="card">
        <dl className="details">
          <dt>Operation</dt>
          <dd>
            {operationLabel(operation.type)} <code>{operation.type}</code>
          </dd>
          <dt>Mode</dt>
          <dd>
            {operation.mode === "preview" ? "Preview first, then apply on confirmation" : "Apply directly"}
            {operation.confirmedAt ? (
              <span className="muted small">
                {" "}
                · confirmed <DateTime value={operation.confirmedAt} />
              </span>
            ) : null}
          </dd>
          <dt>Stage</dt>
          <dd>
            {running || awaiting ? stageLabel(operation.stage, operation.status) : <span className="muted">—</span>}
          </dd>
          <dt>Uploader</dt>
          <dd>
            {operation.uploader.name ? `${operation.uploader.name} · ` : ""}
            {operation.uploader.email}
          </dd>
          <dt>Downloads</dt>
          <dd className="downloads">
            <a href={fileHref} className="btn btn-small" download>
              ⤓ Original file
            </a>
            {failed > 0 ? (
              <a href={errorCsvHref} className="btn btn-small" download>
                ⤓ Error CSV ({failed.toLocaleString("en-US")} row{failed === 1 ? "" : "s"})
              </a>
            ) : null}
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
            {duration !== null ? <span className="muted small"> · took {formatDuration(duration)}</span> : null}
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
          <h2>{previewed ? "Rows that would fail, by error code" : "Errors by code"}</h2>
          {failed > 0 ? (
            <a className="btn btn-small" href={errorCsvHref} data-testid="error-csv-link" download>
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
                    <Link href={hrefWith(path, { [statusKey]: "failed", errorCode: g.code })} scroll={false}>
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
          <p className="muted">
            {running ? "No failed rows so far." : previewed ? "No row would fail." : "No row failed."}
          </p>
        )}
      </section>

      <section className="card" id="rows">
        <div className="section-header">
          <h2>Row results</h2>
          {outcome === "failed" ? (
            <Link
              href={hrefWith(path, { q: query.q })}
              scroll={false}
              className="btn btn-small btn-toggle-on"
              data-testid="failures-only"
            >
              ✕ Failures only
            </Link>
          ) : (
            <Link
              href={hrefWith(path, { [statusKey]: "failed", q: query.q })}
              scroll={false}
              className="btn btn-small"
              data-testid="failures-only"
              aria-disabled={failed === 0 ? "true" : undefined}
            >
              Failures only ({failed.toLocaleString("en-US")})
            </Link>
          )}
        </div>
        <RowFilters
          key={`${outcome}:${query.errorCode}:${query.q}`}
          path={path}
          previewed={previewed}
          outcome={outcome}
          errorCode={query.errorCode}
          errorCodes={operation.errorGroups.map((g) => g.code)}
          q={query.q}
        />
        <RowResultsTable
          items={rows.items}
          previewed={previewed}
          emptyMessage={
            query.rowStatus || query.previewStatus || query.errorCode || query.q
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
