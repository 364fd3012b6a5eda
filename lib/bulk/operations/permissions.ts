import { isStaffOrMember } from "@/lib/auth/staff-or-member";

import type { Uploader } from "./definition";

/** Staff may change any course; others only courses of an organization they belong to. */
export function mayChangeCourse(uploader: Uploader, courseOrganizationIds: string[]) {
  return isStaffOrMember(uploader, courseOrganizationIds);
}

/**
 * The message for a course, run or user the row names that does not exist *or that the uploader may not
 * reach*: both read the same, so a file cannot probe another organization's catalog or people.
 */
export function notFoundMessage(uploader: Uploader, what: string) {
  return uploader.isStaff ? `${what} does not exist` : `${what} does not exist in your organizations`;
}
