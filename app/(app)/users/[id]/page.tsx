import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { DateTime } from "@/components/ui/date-time";
import { NoAccess } from "@/components/ui/no-access";
import { getPageUser, hasAccess } from "@/lib/auth/page-user";
import { getUser } from "@/lib/users/get-user";
import { listOrganizations } from "@/lib/users/list-organizations";

import { StaffOnly } from "../staff-only";
import { EditUserForm } from "./edit-user-form";

export const metadata: Metadata = { title: "User" };

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await getPageUser(`/users/${id}`);
  if (!actor.isStaff) {
    return hasAccess(actor) ? <StaffOnly /> : <NoAccess />;
  }
  const [user, organizations] = await Promise.all([getUser({ actor, id }), listOrganizations({ actor })]);
  if (!user) {
    notFound();
  }

  return (
    <>
      <div className="page-header">
        <div>
          <p className="breadcrumb">
            <Link href="/users">Users</Link> /
          </p>
          <h1 data-testid="user-email">
            {user.email}
            {user.isStaff ? <span className="tag tag-large">staff</span> : null}
          </h1>
          <p className="muted">
            {user.name ?? "No name"}
            {user.username ? ` · @${user.username}` : ""} · created <DateTime value={user.createdAt} /> · updated{" "}
            <DateTime value={user.updatedAt} />
          </p>
        </div>
      </div>
      <EditUserForm user={user} organizations={organizations} isSelf={user.id === actor.id} />
    </>
  );
}
