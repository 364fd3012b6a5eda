const LABELS: Record<string, string> = {
  created: "would create",
  updated: "would update",
  unchanged: "unchanged",
  failed: "would fail",
  pending: "not checked",
};

export function previewLabel(outcome: string) {
  return LABELS[outcome] ?? outcome;
}

/** A row's outcome as a preview computed it: the colour of the status it would get, in the conditional. */
export function PreviewBadge({ outcome }: { outcome: string }) {
  return <span className={`badge badge-${outcome} badge-preview`}>{previewLabel(outcome)}</span>;
}
