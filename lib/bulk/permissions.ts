import type { Uploader } from "./operation-definition";

/** Staff may change any course; others only courses of an organization they belong to. */
export function mayChangeCourse(uploader: Uploader, courseOrganizationIds: string[]) {
  return uploader.isStaff || courseOrganizationIds.some((id) => uploader.organizationIds.has(id));
}
