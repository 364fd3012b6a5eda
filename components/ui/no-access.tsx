import type { ReactNode } from "react";

const NO_ORGANIZATION = (
  <p>
    Your account is not a member of any organization yet, so there is nothing to show. Ask a coordinator of your
    organization (or a staff member) to add you.
  </p>
);

/** What a signed-in user sees instead of a page they may not use; by default, for a user with no organization. */
export function NoAccess({
  title = "No access",
  testId,
  children = NO_ORGANIZATION,
}: {
  title?: string;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <section className="card notice" role="alert" data-testid={testId}>
      <h1>403 – {title}</h1>
      {children}
    </section>
  );
}
