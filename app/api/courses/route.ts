import { apiHandler, searchParamsOf } from "@/lib/api-handler";
import { requireUser } from "@/lib/auth/require-user";
import { listCourses, listCoursesQuery } from "@/lib/catalog/list-courses";

// GET /api/courses – courses visible to the caller (q: key or title; organization: key; page, pageSize)
export const GET = apiHandler(async (request) => {
  const user = await requireUser(request);
  const query = listCoursesQuery.parse(searchParamsOf(request));
  return Response.json(await listCourses({ user, ...query }));
});
