import { apiHandler } from "@/lib/api-handler";
import { requireUser } from "@/lib/auth/require-user";
import { getCourse } from "@/lib/catalog/get-course";
import { courseToApi } from "@/lib/catalog/to-api";
import { AppError } from "@/lib/errors";

// GET /api/courses/{key or uuid} – every course field, its runs with their seats, its editors
export const GET = apiHandler<{ keyOrUuid: string }>(async (request, { params }) => {
  const user = await requireUser(request);
  // Next has decoded the segment already; decoding again would turn "%25" into a malformed escape.
  const keyOrId = (await params).keyOrUuid;
  const course = await getCourse({ user, keyOrId });
  if (!course) {
    throw new AppError("NOT_FOUND", { userMessage: `No course ${keyOrId} (or it is not visible to you).` });
  }
  return Response.json(courseToApi(course));
});
