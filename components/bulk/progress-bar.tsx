/** Rows done of total; an indeterminate bar until validation has counted the rows. */
export function ProgressBar({ done, total }: { done: number; total: number }) {
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
  return (
    <div className="progress">
      <div
        className={percent === null ? "progress-track progress-indeterminate" : "progress-track"}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total || undefined}
        aria-valuenow={percent === null ? undefined : done}
      >
        <div className="progress-fill" style={{ width: `${percent ?? 100}%` }} />
      </div>
      <span className="progress-label">
        {total > 0
          ? `${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} rows (${percent}%)`
          : "Counting rows…"}
      </span>
    </div>
  );
}
