import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { NoAccess } from "@/components/ui/no-access";
import { getActingUser } from "@/lib/auth/require-user";
import { isOperationType } from "@/lib/bulk/operation-types";

import { SubmitForm } from "./submit-form";

export const metadata: Metadata = { title: "New bulk operation" };

export default async function NewBulkOperationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await getActingUser();
  if (!user) {
    redirect(`/signin?callbackUrl=${encodeURIComponent("/bulk-operations/new")}`);
  }
  if (!user.isStaff && user.memberships.length === 0) {
    return <NoAccess />;
  }
  const { type } = await searchParams;

  return (
    <>
      <div className="page-header">
        <div>
          <p className="breadcrumb">
            <Link href="/bulk-operations">Bulk operations</Link> /
          </p>
          <h1>New bulk operation</h1>
          <p className="muted">
            Pick an operation, download its template if you need one, and upload your CSV (UTF-8 or Windows-1252, comma
            or semicolon separated).
          </p>
        </div>
      </div>
      <SubmitForm initialType={isOperationType(type) ? type : "course_create"} />
    </>
  );
}
