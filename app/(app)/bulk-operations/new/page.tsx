import type { Metadata } from "next";
import Link from "next/link";

import { NoAccess } from "@/components/ui/no-access";
import { getPageUser, hasAccess } from "@/lib/auth/page-user";
import { isOperationType } from "@/lib/bulk/vocabulary/operation-types";

import type { SearchParams } from "../../search-params";
import { SubmitForm } from "./submit-form";

export const metadata: Metadata = { title: "New bulk operation" };

export default async function NewBulkOperationPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await getPageUser("/bulk-operations/new");
  if (!hasAccess(user)) {
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
