import { apiHandler } from "@/lib/api-handler";
import { requireUser } from "@/lib/auth/require-user";
import { buildTemplate } from "@/lib/bulk/results/build-template";
import { isOperationType } from "@/lib/bulk/vocabulary/operation-types";
import { AppError } from "@/lib/errors";
import { contentDisposition } from "@/lib/http";

// GET /api/bulk-operations/templates/{type} – CSV template with every column and one example row
export const GET = apiHandler<{ type: string }>(async (request, { params }) => {
  await requireUser(request);
  const { type } = await params;
  if (!isOperationType(type)) {
    throw new AppError("NOT_FOUND", { userMessage: `No template for operation type "${type}".` });
  }
  const template = buildTemplate(type);
  return new Response(template.csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": contentDisposition(template.fileName),
    },
  });
});
