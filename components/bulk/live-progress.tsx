import { ProgressBar } from "@/components/bulk/progress-bar";
import { formatEta, formatRate, stageLabel } from "@/components/bulk/stage-label";

/**
 * Stage, rows done of total, rate and ETA of a running operation. The numbers come from the server
 * (`progress` of get-operation / list-operations), so a refresh moves them.
 */
export function LiveProgress({
  status,
  stage,
  processedRows,
  totalRows,
  progress,
  compact = false,
}: {
  status: string;
  stage: string | null;
  processedRows: number;
  totalRows: number;
  progress: { rowsPerSecond: number | null; etaSeconds: number | null } | null;
  /** The history table's narrow variant. */
  compact?: boolean;
}) {
  const rate = progress?.rowsPerSecond ?? null;
  const eta = progress?.etaSeconds ?? null;
  return (
    <div className={compact ? "live-progress live-progress-compact" : "live-progress"} data-testid="operation-progress">
      <div className="live-progress-head">
        <span className="live-progress-stage" data-testid="operation-stage">
          {stageLabel(stage, status)}
        </span>
        <span className="live-progress-rate" data-testid="operation-rate">
          {rate !== null ? formatRate(rate) : compact ? null : "measuring speed…"}
          {rate !== null && eta !== null ? ` · ${formatEta(eta)}` : null}
        </span>
      </div>
      <ProgressBar done={processedRows} total={totalRows} />
    </div>
  );
}
