import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";

import { NoAccess } from "@/components/ui/no-access";
import { Pagination } from "@/components/ui/pagination";
import { getPageUser, hasAccess } from "@/lib/auth/page-user";
import { listOrganizations } from "@/lib/users/list-organizations";
import { listUsers } from "@/lib/users/list-users";
import { listUsersQuery } from "@/lib/users/schemas";

import type { SearchParams } from "../search-params";
import { NewUserForm } from "./new-user-form";
import { StaffOnly } from "./staff-only";
import { UsersTable } from "./users-table";

export const metadata: Metadata = { title: "Users" };

const PATH = "/users";

export default async function UsersPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await getPageUser(PATH);
  if (!actor.isStaff) {
    return hasAccess(actor) ? <StaffOnly /> : <NoAccess />;
  }

  const query = listUsersQuery.parse(await searchParams);
  const [result, organizations] = await Promise.all([listUsers({ actor, ...query }), listOrganizations({ actor })]);
  const filtered = Boolean(query.q || query.organization);

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Users</h1>
          <p className="muted">People, their organization memberships and roles. Only staff see this page.</p>
        </div>
        <Form action={PATH} className="search-form">
          <input
            type="search"
            name="q"
            defaultValue={query.q}
            placeholder="Search by email, username or name"
            aria-label="Search users"
          />
          <select name="organization" defaultValue={query.organization ?? ""} aria-label="Organization">
            <option value="">Any organization</option>
            {organizations.map((o) => (
              <option key={o.key} value={o.key}>
                {o.key}
              </option>
            ))}
          </select>
          <button type="submit" className="btn">
            Search
          </button>
          {filtered ? (
            <Link href={PATH} className="btn btn-ghost">
              Clear
            </Link>
          ) : null}
        </Form>
      </div>
      <UsersTable items={result.items} emptyMessage={filtered ? "No user matches these filters." : "No users yet."} />
      <Pagination
        path={PATH}
        query={{ q: query.q, organization: query.organization }}
        page={result.page}
        pageSize={result.pageSize}
        total={result.total}
      />
      <NewUserForm organizations={organizations} />
    </>
  );
}
