"use client";

import Form from "next/form";

/** Failures-only toggle (applies at once) and a target-key search for the row results. */
export function RowFilters({
  path,
  failedOnly,
  errorCode,
  q,
}: {
  path: string;
  failedOnly: boolean;
  errorCode?: string;
  q?: string;
}) {
  return (
    <Form action={path} className="row-filters" scroll={false}>
      <label className="checkbox">
        <input
          type="checkbox"
          name="rowStatus"
          value="failed"
          defaultChecked={failedOnly}
          onChange={(event) => event.currentTarget.form?.requestSubmit()}
          data-testid="failures-only"
        />
        Failures only
      </label>
      {/* An error-code filter only narrows failures, so it goes away with the toggle. */}
      {failedOnly && errorCode ? <input type="hidden" name="errorCode" value={errorCode} /> : null}
      <input type="search" name="q" defaultValue={q} placeholder="Search target key" aria-label="Search target key" />
      <button type="submit" className="btn btn-small">
        Search
      </button>
    </Form>
  );
}
