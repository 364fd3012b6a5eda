"use client";

import { useEffect } from "react";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  // Server errors arrive with a generic message and a digest that matches the server log line.
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <section className="card notice" role="alert">
      <h1>Something went wrong</h1>
      <p>The page could not be loaded. This is usually temporary.</p>
      {digest ? <p className="muted small">Reference: {digest}</p> : null}
      <button type="button" className="btn btn-primary" onClick={() => retry()}>
        Try again
      </button>
    </section>
  );
}
