import { NoAccess } from "@/components/ui/no-access";

/** What a signed-in member who is not staff sees instead of the user screens. */
export function StaffOnly() {
  return (
    <NoAccess title="Staff only" testId="staff-only">
      <p>Only staff can view and manage users and their organization memberships. Ask a staff member for changes.</p>
    </NoAccess>
  );
}
