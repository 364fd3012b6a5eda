import { Body, Button, Container, Head, Heading, Html, Preview, Section, Text } from "@react-email/components";

export type BulkOperationFinishedEmailProps = {
  /** Display name of the operation type, e.g. "Course Creation". */
  operationLabel: string;
  fileName: string;
  /** Final BulkOperationStatus, e.g. "partially_completed". */
  status: string;
  counts: { total: number; created: number; updated: number; unchanged: number; failed: number };
  topErrors: { code: string; count: number; example: string }[];
  /** Absolute URL of the operation's page. */
  operationUrl: string;
  /** Absolute URL of the error CSV, or null when no row failed. */
  errorsUrl: string | null;
};

export function bulkOperationFinishedSubject({
  operationLabel,
  fileName,
  status,
  counts,
}: BulkOperationFinishedEmailProps) {
  const succeeded = counts.total - counts.failed;
  if (status === "errored") {
    return `${operationLabel}: stopped by a system error after ${succeeded} of ${counts.total} rows (${fileName})`;
  }
  if (status === "cancelled") {
    return `${operationLabel}: cancelled after ${succeeded} of ${counts.total} rows (${fileName})`;
  }
  if (counts.total === 0) {
    return `${operationLabel}: the file was rejected (${fileName})`;
  }
  return `${operationLabel}: ${succeeded} of ${counts.total} rows succeeded (${fileName})`;
}

function humanizeStatus(status: string) {
  const words = status.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const button = { backgroundColor: "#1f2937", color: "#ffffff", padding: "10px 16px", borderRadius: "4px" } as const;

export function BulkOperationFinishedEmail(props: BulkOperationFinishedEmailProps) {
  const { operationLabel, fileName, status, counts, topErrors, operationUrl, errorsUrl } = props;
  const rows: [string, number][] = [
    ["Rows", counts.total],
    ["Created", counts.created],
    ["Updated", counts.updated],
    ["Unchanged", counts.unchanged],
    ["Failed", counts.failed],
  ];
  return (
    <Html lang="en">
      <Head />
      <Preview>{bulkOperationFinishedSubject(props)}</Preview>
      <Body style={{ backgroundColor: "#f6f7f9", fontFamily: "Helvetica, Arial, sans-serif" }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "32px", maxWidth: "560px" }}>
          <Heading as="h1" style={{ fontSize: "20px" }}>
            {operationLabel} finished: {humanizeStatus(status)}
          </Heading>
          <Text>File: {fileName}</Text>
          <Section>
            {rows.map(([label, value]) => (
              <Text key={label} style={{ fontSize: "14px", margin: "2px 0" }}>
                {label}: <strong>{value}</strong>
              </Text>
            ))}
          </Section>
          {topErrors.length > 0 && (
            <Section>
              <Heading as="h2" style={{ fontSize: "16px", marginTop: "24px" }}>
                Most frequent errors
              </Heading>
              {topErrors.map((e) => (
                <Text key={e.code} style={{ fontSize: "14px", margin: "4px 0" }}>
                  <strong>{e.code}</strong> ({e.count} {e.count === 1 ? "row" : "rows"}): {e.example}
                </Text>
              ))}
            </Section>
          )}
          <Section style={{ marginTop: "24px" }}>
            <Button href={operationUrl} style={button}>
              View the operation
            </Button>
          </Section>
          {errorsUrl && (
            <Section style={{ marginTop: "12px" }}>
              <Button href={errorsUrl} style={{ ...button, backgroundColor: "#b91c1c" }}>
                Download the error CSV
              </Button>
            </Section>
          )}
        </Container>
      </Body>
    </Html>
  );
}
