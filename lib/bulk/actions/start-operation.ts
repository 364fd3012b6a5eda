import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { claimActiveOperationSlot } from "@/lib/bulk/access/active-operations";
import { dispatchOperation } from "@/lib/bulk/runner/dispatch-operation";
import {
  discardStagedUpload,
  PIECE_BYTES,
  stageUpload,
  storeUpload,
  type StagedUpload,
} from "@/lib/bulk/upload/store-upload";
import type { StartOperationInput } from "@/lib/bulk/vocabulary/schemas";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** Formats a spreadsheet may be saved as by mistake, recognised by their first bytes. */
const NOT_CSV_SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "an Excel workbook or another ZIP archive (.xlsx): save it as CSV" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: "a legacy Excel workbook (.xls): save it as CSV" },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "a PDF document" },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "a PNG image" },
  { bytes: [0xff, 0xd8, 0xff], what: "a JPEG image" },
];

/**
 * Stores the upload with its checksum and hands it to the job backend; the file is parsed by the job.
 * The file is either bytes in memory or an upload already staged while the request streamed in
 * (`readUpload`); a staged upload that is refused is deleted.
 */
export async function startOperation(options: {
  user: ActingUser;
  input: StartOperationInput;
  file: { name: string; bytes: Uint8Array } | { name: string; staged: StagedUpload };
}) {
  const { user, input, file } = options;
  const name = cleanFileName(file.name);
  let staged = "staged" in file ? file.staged : undefined;
  try {
    checkUpload({ name, ...("bytes" in file ? { size: file.bytes.byteLength, head: file.bytes } : file.staged) });
    const stored = "bytes" in file ? await stageUpload(piecesOf(file.bytes), { maxBytes: Infinity }) : file.staged;
    staged = stored;
    const operation = await storeUpload({
      type: input.type,
      mode: input.mode,
      uploaderId: user.id,
      fileName: [...name].slice(0, 255).join("") || "upload.csv",
      staged: stored,
      beforeInsert: (sql) => claimActiveOperationSlot(sql, user.id, "upload"),
    });
    await dispatchOperation(operation.id, "start");
    return operation;
  } catch (error) {
    // storeUpload deleted the pieces if the operation was created; otherwise they go now.
    if (staged) {
      await discardStagedUpload(staged.uploadId);
    }
    throw error;
  }
}

async function* piecesOf(bytes: Uint8Array) {
  for (let offset = 0; offset < bytes.byteLength; offset += PIECE_BYTES) {
    yield bytes.subarray(offset, offset + PIECE_BYTES);
  }
}

function checkUpload(file: { name: string; size: number; head: Uint8Array }) {
  const limit = env().MAX_UPLOAD_BYTES;
  if (file.size > limit) {
    throw new AppError("PAYLOAD_TOO_LARGE", {
      userMessage: `The file is ${formatBytes(file.size)}; the limit is ${formatBytes(limit)}. Split it into smaller files.`,
    });
  }
  if (file.size === 0) {
    throw new AppError("INVALID_FILE", { userMessage: `The file "${file.name}" is empty.` });
  }
  const signature = NOT_CSV_SIGNATURES.find((s) => s.bytes.every((b, i) => file.head[i] === b));
  if (signature) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", {
      userMessage: `"${file.name}" is not a CSV file: it is ${signature.what}.`,
    });
  }
  if (!/\.(csv|txt)$/i.test(file.name)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", {
      userMessage: `"${file.name}" is not a CSV file: upload a .csv file (comma- or semicolon-separated).`,
    });
  }
}

/**
 * The name as stored and shown. A multipart name is whatever the client sent: PostgreSQL refuses NUL
 * and unpaired surrogates (a 500), and bidirectional overrides can disguise the extension in the history.
 */
function cleanFileName(name: string) {
  return (
    name
      .toWellFormed()
      // Control and bidirectional-override characters would garble lists, logs and emails.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "")
      .trim()
  );
}

function formatBytes(bytes: number) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
