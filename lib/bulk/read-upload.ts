import "server-only";

import { limitBody } from "@/lib/api-handler";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { formatBytes } from "@/lib/http";

import { startOperationSchema } from "./schemas";

/** Multipart overhead allowed on top of the file limit (boundaries, part headers, the other fields). */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/**
 * Reads and checks the multipart upload: 413 as soon as more than the limit has arrived (before reading
 * anything when a Content-Length says so), 415/400 with what is wrong.
 */
export async function readUpload(request: Request) {
  const limit = env().MAX_UPLOAD_BYTES;
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit + FORM_OVERHEAD_BYTES) {
    throw new AppError("PAYLOAD_TOO_LARGE", {
      userMessage: `The upload is ${formatBytes(declared)}; the limit is ${formatBytes(limit)}. Split the file into smaller files.`,
    });
  }
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.startsWith("multipart/form-data")) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", {
      userMessage: "Send the upload as multipart/form-data with fields `file` (the CSV) and `type`.",
    });
  }
  const limited = limitBody(
    request,
    limit + FORM_OVERHEAD_BYTES,
    `The upload is larger than the limit of ${formatBytes(limit)}. Split the file into smaller files.`,
  );
  let form: FormData;
  try {
    form = await limited.formData();
  } catch (error) {
    if (error instanceof AppError) {
      throw error;
    }
    throw new AppError("BAD_REQUEST", { userMessage: "The multipart body could not be read; is it complete?" });
  }
  const input = startOperationSchema.safeParse({
    type: form.get("type") ?? undefined,
    mode: form.get("mode") || undefined,
  });
  if (!input.success) {
    throw new AppError("BAD_REQUEST", { userMessage: input.error.issues.map((i) => i.message).join("; ") });
  }
  const file = form.get("file");
  if (!(file instanceof File)) {
    throw new AppError("BAD_REQUEST", { userMessage: "The field `file` is required: attach the CSV file." });
  }
  return { input: input.data, file: { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } };
}
