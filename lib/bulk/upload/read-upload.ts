import "server-only";

import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

import busboy from "busboy";

import { limitBody } from "@/lib/api-handler";
import { startOperationSchema } from "@/lib/bulk/vocabulary/schemas";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { formatBytes } from "@/lib/http";

import { discardStagedUpload, stageUpload, type StagedUpload } from "./store-upload";

/** Multipart overhead allowed on top of the file limit (boundaries, part headers, the other fields). */
const FORM_OVERHEAD_BYTES = 64 * 1024;
/** The text fields of the form, beside `file`. */
const FIELDS = new Set(["type", "mode"]);
/** Longest value accepted for a text field (`type`, `mode`); longer ones are cut and then refused. */
const FIELD_BYTES = 1024;

/**
 * Reads and checks the multipart upload as it streams in: the file goes to PostgreSQL in pieces
 * (`stageUpload`) while it arrives, so the request never holds it whole. 413 as soon as more than the
 * limit has arrived (before reading anything when a Content-Length says so), 415/400 with what is
 * wrong. `type` and `mode` may come before or after the file; when they are refused, the staged file
 * is deleted.
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
  const parts = await readParts(limited, limit);
  const file = await parts.file;
  try {
    const input = startOperationSchema.safeParse({
      type: parts.fields.get("type") ?? undefined,
      mode: parts.fields.get("mode") || undefined,
    });
    if (!input.success) {
      throw new AppError("BAD_REQUEST", { userMessage: input.error.issues.map((i) => i.message).join("; ") });
    }
    if (!file) {
      throw new AppError("BAD_REQUEST", { userMessage: "The field `file` is required: attach the CSV file." });
    }
    return { input: input.data, file };
  } catch (error) {
    if (file) {
      await discardStagedUpload(file.staged.uploadId);
    }
    throw error;
  }
}

/**
 * Parses the multipart body with busboy: the first value of `type` and `mode`, and the first file part
 * named `file`, staged as it arrives (other file parts are skipped unread). Once this returns, the file
 * is staged completely or the whole read failed and nothing stays stored.
 */
async function readParts(request: Request, maxFileBytes: number) {
  const fields = new Map<string, string>();
  let file: Promise<{ name: string; staged: StagedUpload }> | undefined;
  const unreadable = () =>
    new AppError("BAD_REQUEST", { userMessage: "The multipart body could not be read; is it complete?" });
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: Object.fromEntries(request.headers),
      // Browsers and curl send UTF-8 names; busboy's default is Latin-1.
      defParamCharset: "utf8",
      // The name as sent, like the standard FormData; startOperation cleans it.
      preservePath: true,
      limits: { fieldSize: FIELD_BYTES },
    });
  } catch {
    throw unreadable();
  }
  parser.on("field", (name, value) => {
    // Only the fields we use are kept: the others could be many.
    if (FIELDS.has(name) && !fields.has(name)) {
      fields.set(name, value);
    }
  });
  // What failed first when the file failed on its own (too large, the database), not through the parser.
  let fileFailure: unknown;
  parser.on("file", (name, stream, info) => {
    if (name !== "file" || file) {
      stream.resume();
      return;
    }
    const staging = stageUpload(stream, { maxBytes: maxFileBytes }).then((staged) => ({
      name: info.filename ?? "",
      staged,
    }));
    file = staging;
    staging.catch((error: unknown) => {
      if (!parser.destroyed) {
        fileFailure = error;
        // The stream the file left unread would otherwise stall the parser.
        parser.destroy(error as Error);
      }
    });
  });
  try {
    await pipeline(
      request.body ? Readable.fromWeb(request.body as WebReadableStream<Uint8Array>) : Readable.from([]),
      parser,
    );
  } catch (error) {
    // Wait for the file to be staged or dropped, and drop it: the form is unusable.
    await file?.then(
      (staged) => discardStagedUpload(staged.staged.uploadId),
      () => undefined,
    );
    const cause = fileFailure ?? error;
    // The limit's 413 and the database's errors say more than the parser's, which means a broken body.
    if (cause instanceof AppError || cause === fileFailure) {
      throw cause;
    }
    throw unreadable();
  }
  return { fields, file: file ?? Promise.resolve(undefined) };
}
