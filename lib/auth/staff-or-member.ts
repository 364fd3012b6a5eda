/** Who may act on something of an organization: staff, or a member of one of its organizations. */
export interface Actor {
  isStaff: boolean;
  organizationIds: ReadonlySet<string>;
}

/**
 * The one permission predicate: staff act on anything; others on what belongs to one of their organizations.
 * (List queries write the same rule as a WHERE clause: visibleCoursesWhere, visibleOperationsWhere.)
 */
export function isStaffOrMember(actor: Actor, organizationIds: readonly string[]): boolean {
  return actor.isStaff || organizationIds.some((id) => actor.organizationIds.has(id));
}
