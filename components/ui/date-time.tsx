// Fixed locale and time zone: client leaves render on the server and in the browser, and both must agree.
const FORMAT = new Intl.DateTimeFormat("en-GB", {
  day: "2-digit",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

export function formatDateTime(iso: string) {
  return `${FORMAT.format(new Date(iso))} UTC`;
}

/** An ISO timestamp, shown in UTC; a dash when absent. */
export function DateTime({ value }: { value: string | null }) {
  if (!value) {
    return <span className="muted">—</span>;
  }
  return (
    <time dateTime={value} title={value}>
      {formatDateTime(value)}
    </time>
  );
}
