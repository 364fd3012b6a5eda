import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";

import { NoAccess } from "@/components/ui/no-access";
import { Pagination } from "@/components/ui/pagination";
import { getPageUser, hasAccess } from "@/lib/auth/page-user";
import { listCourses, listCoursesQuery } from "@/lib/catalog/list-courses";

import type { SearchParams } from "../search-params";
import { CoursesTable } from "./courses-table";

export const metadata: Metadata = { title: "Courses" };

const PATH = "/courses";

export default async function CoursesPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await getPageUser(PATH);
  if (!hasAccess(user)) {
    return <NoAccess />;
  }

  const query = listCoursesQuery.parse(await searchParams);
  const result = await listCourses({ user, ...query });

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Courses</h1>
          <p className="muted">
            {user.isStaff
              ? "The whole catalog."
              : `Courses of ${user.memberships.map((m) => m.organizationKey).join(", ")}.`}
          </p>
        </div>
        <Form action={PATH} className="search-form">
          <input
            type="search"
            name="q"
            defaultValue={query.q}
            placeholder="Search by key or title"
            aria-label="Search courses"
          />
          <button type="submit" className="btn">
            Search
          </button>
          {query.q ? (
            <Link href={PATH} className="btn btn-ghost">
              Clear
            </Link>
          ) : null}
        </Form>
      </div>
      <CoursesTable
        items={result.items}
        emptyMessage={query.q ? `No course matches “${query.q}”.` : "No courses yet."}
      />
      <Pagination
        path={PATH}
        query={{ q: query.q }}
        page={result.page}
        pageSize={result.pageSize}
        total={result.total}
      />
    </>
  );
}
