import { Body, Button, Container, Head, Heading, Html, Link, Preview, Text } from "@react-email/components";

export type MagicLinkEmailProps = {
  /** The Auth.js callback URL that signs the user in. */
  url: string;
  /** APP_URL's host, shown so a user can tell a genuine email from a lookalike. */
  host: string;
};

export function MagicLinkEmail({ url, host }: MagicLinkEmailProps) {
  return (
    <Html lang="en">
      <Head />
      <Preview>Your sign-in link for {host}</Preview>
      <Body style={{ backgroundColor: "#f6f7f9", fontFamily: "Helvetica, Arial, sans-serif" }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "32px", maxWidth: "480px" }}>
          <Heading as="h1" style={{ fontSize: "20px" }}>
            Sign in to Catalog Bulk Operations
          </Heading>
          <Text>Use the button below to sign in to {host}. The link works once and expires in 24 hours.</Text>
          <Button
            href={url}
            style={{ backgroundColor: "#1f2937", color: "#ffffff", padding: "12px 20px", borderRadius: "4px" }}
          >
            Sign in
          </Button>
          <Text style={{ color: "#6b7280", fontSize: "13px" }}>
            Or paste this address into your browser: <Link href={url}>{url}</Link>
          </Text>
          <Text style={{ color: "#6b7280", fontSize: "13px" }}>
            If you did not ask to sign in, you can ignore this email.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
