/**
 * A coloured pill for any status in the app (operation, row, course run); the colour comes from the
 * `badge-<status>` class in globals.css. Shows the raw value, which is what the API and emails use too.
 */
export function StatusBadge({ status, "data-testid": testId }: { status: string; "data-testid"?: string }) {
  return (
    <span className={`badge badge-${status}`} data-testid={testId}>
      {status}
    </span>
  );
}
