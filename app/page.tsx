import Link from "next/link";

import { OPERATION_TYPES } from "@/lib/bulk/vocabulary/operation-types";

export default function HomePage() {
  return (
    <>
      <section className="hero">
        <h1>Update your course catalog from a spreadsheet</h1>
        <p className="lead">
          Upload one CSV instead of editing course pages one by one. Each file is validated, applied row by row as a
          background job you can watch, and kept in a history with a per-row result, an error file to fix and re-upload,
          and an email summary when it finishes.
        </p>
        <div className="actions">
          <Link href="/bulk-operations/new" className="btn btn-primary">
            Start a bulk operation
          </Link>
          <Link href="/bulk-operations" className="btn">
            Operation history
          </Link>
          <Link href="/courses" className="btn">
            Browse courses
          </Link>
        </div>
      </section>
      <section>
        <h2>The operations</h2>
        <div className="card-grid">
          {OPERATION_TYPES.map(({ type, label, description }) => (
            <Link key={type} href={`/bulk-operations/new?type=${type}`} className="card card-link">
              <h3>{label}</h3>
              <p className="muted">{description}</p>
            </Link>
          ))}
        </div>
        <p className="muted small">
          Files written for Open edX Publisher bulk operations work unchanged. Preview mode validates a file and shows
          the changes before anything is written.
        </p>
      </section>
    </>
  );
}
