import Link from "next/link";

type Query = Record<string, string | undefined>;

/** Builds `path?query` from the current filters, dropping empty values so links stay short. */
export function hrefWith(path: string, query: Query, overrides: Query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, ...overrides })) {
    if (value !== undefined && value !== "") {
      params.set(key, value);
    }
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** Server-side pagination: previous/next links that keep the current filters. */
export function Pagination({
  path,
  query,
  page,
  pageSize,
  total,
}: {
  path: string;
  /** The current filters, without page. */
  query: Query;
  page: number;
  pageSize: number;
  total: number;
}) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const link = (target: number) => hrefWith(path, query, { page: String(target), pageSize: String(pageSize) });
  return (
    <nav className="pagination" aria-label="Pagination">
      <span className="muted">
        {total === 0
          ? "No results"
          : first > last
            ? `No results on this page (${total} in all)`
            : `${first}–${last} of ${total}`}
      </span>
      <span className="pagination-links">
        {page > 1 ? (
          <Link className="btn btn-small" href={link(page - 1)} rel="prev">
            ← Previous
          </Link>
        ) : (
          <span className="btn btn-small" aria-disabled="true">
            ← Previous
          </span>
        )}
        <span>
          Page {Math.min(page, pageCount)} of {pageCount}
        </span>
        {page < pageCount ? (
          <Link className="btn btn-small" href={link(page + 1)} rel="next">
            Next →
          </Link>
        ) : (
          <span className="btn btn-small" aria-disabled="true">
            Next →
          </span>
        )}
      </span>
    </nav>
  );
}
