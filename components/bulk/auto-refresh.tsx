"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

const MAX_BACKOFF_MS = 30_000;

/**
 * Re-renders the server page every `intervalMs` while `active`, so a running operation's progress moves on
 * its own. Each refresh first asks `probeUrl` (a small JSON endpoint of the same data): when the server or
 * the network fails for a moment, the page stays as it is with a quiet notice and tries again, backing
 * off, instead of replacing the page with an error.
 */
export function AutoRefresh({
  active,
  probeUrl,
  intervalMs = 1500,
}: {
  active: boolean;
  probeUrl: string;
  intervalMs?: number;
}) {
  const router = useRouter();
  const [failures, setFailures] = useState(0);
  // Bumped after each successful refresh, to schedule the next one.
  const [refreshes, setRefreshes] = useState(0);
  useEffect(() => {
    if (!active) {
      return;
    }
    const delay = failures === 0 ? intervalMs : Math.min(intervalMs * 2 ** failures, MAX_BACKOFF_MS);
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(probeUrl, { headers: { accept: "application/json" }, cache: "no-store" });
        if (response.status === 401) {
          // The session really ended: the page's own render sends the visitor to sign in.
          router.refresh();
          return;
        }
        if (!response.ok) {
          throw new Error(`HTTP ${response.status}`);
        }
        setFailures(0);
        setRefreshes((n) => n + 1);
        router.refresh();
      } catch {
        setFailures((n) => n + 1);
      }
    }, delay);
    return () => clearTimeout(timer);
  }, [active, failures, refreshes, intervalMs, probeUrl, router]);
  if (!active) {
    return null;
  }
  return failures > 0 ? (
    <span className="live-indicator live-indicator-retrying" role="status" data-testid="refresh-retrying">
      Could not refresh; trying again…
    </span>
  ) : (
    <span className="live-indicator" aria-live="polite">
      Live: refreshing every {intervalMs / 1000} s
    </span>
  );
}
