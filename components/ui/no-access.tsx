/** What a signed-in user who is neither staff nor a member of any organization sees instead of a page. */
export function NoAccess() {
  return (
    <section className="card notice" role="alert">
      <h1>403 – No access</h1>
      <p>
        Your account is not a member of any organization yet, so there is nothing to show. Ask a coordinator of your
        organization (or a staff member) to add you.
      </p>
    </section>
  );
}
