import { apiHandler } from "@/lib/api-handler";
import { requireUser } from "@/lib/auth/require-user";
import { getCourse } from "@/lib/catalog/get-course";
import { courseKeyOfRun } from "@/lib/catalog/run-key";
import { courseRunToApi } from "@/lib/catalog/to-api";
import { AppError } from "@/lib/errors";

// GET /api/course-runs/{key} – every run field and its seats
export const GET = apiHandler<{ key: string }>(async (request, { params }) => {
  const user = await requireUser(request);
  // Next has decoded the segment already; decoding again would turn "%25" into a malformed escape.
  const key = (await params).key;
  const courseKey = courseKeyOfRun(key);
  const course = courseKey ? await getCourse({ user, keyOrId: courseKey }) : null;
  const run = course?.runs.find((r) => r.key === key);
  if (!course || !run) {
    throw new AppError("NOT_FOUND", { userMessage: `No course run ${key} (or it is not visible to you).` });
  }
  return Response.json(courseRunToApi(run, course.key));
});
