"use client";

import Form from "next/form";
import Link from "next/link";

import { previewLabel } from "@/components/bulk/preview-badge";

const OUTCOMES = ["created", "updated", "unchanged", "failed", "pending"] as const;

/**
 * Row-result filters: outcome (the row's status, or in a preview what it would do), error code and a
 * target-key search. Selects apply at once; everything travels in the query string, so the server
 * filters and paginates and the URL can be shared.
 */
export function RowFilters({
  path,
  previewed,
  outcome,
  errorCode,
  errorCodes,
  q,
}: {
  path: string;
  /** An unconfirmed preview filters on `previewStatus` ("would create", …) instead of `rowStatus`. */
  previewed: boolean;
  outcome?: string;
  errorCode?: string;
  /** Codes present in this operation, for the error-code select. */
  errorCodes: string[];
  q?: string;
}) {
  const codes = errorCode && !errorCodes.includes(errorCode) ? [...errorCodes, errorCode] : errorCodes;
  const submit = (event: { currentTarget: HTMLSelectElement }) => event.currentTarget.form?.requestSubmit();
  return (
    <Form action={path} className="row-filters" scroll={false} data-testid="row-filters">
      <label className="inline-label">
        <span>{previewed ? "Would" : "Outcome"}</span>
        <select
          name={previewed ? "previewStatus" : "rowStatus"}
          defaultValue={outcome ?? ""}
          onChange={submit}
          data-testid="outcome-filter"
        >
          <option value="">All rows</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {previewed ? previewLabel(o) : o}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-label">
        <span>Error</span>
        <select name="errorCode" defaultValue={errorCode ?? ""} onChange={submit} data-testid="error-code-filter">
          <option value="">Any error code</option>
          {codes.map((code) => (
            <option key={code} value={code}>
              {code}
            </option>
          ))}
        </select>
      </label>
      <input
        type="search"
        name="q"
        defaultValue={q}
        placeholder="Search course or run key"
        aria-label="Search course or run key"
        data-testid="row-search"
      />
      <button type="submit" className="btn btn-small">
        Search
      </button>
      {outcome || errorCode || q ? (
        <Link href={path} scroll={false} className="btn btn-small btn-ghost">
          Clear
        </Link>
      ) : null}
    </Form>
  );
}
