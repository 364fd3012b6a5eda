/** What a signed-in member who is not staff sees instead of the user screens. */
export function StaffOnly() {
  return (
    <section className="card notice" role="alert" data-testid="staff-only">
      <h1>403 – Staff only</h1>
      <p>Only staff can view and manage users and their organization memberships. Ask a staff member for changes.</p>
    </section>
  );
}
