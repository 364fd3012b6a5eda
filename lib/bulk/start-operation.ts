import "server-only";

import { createHash } from "node:crypto";

import type { ActingUser } from "@/lib/auth/require-user";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

import { claimActiveOperationSlot } from "./active-operations";
import { dispatchOperation } from "./dispatch-operation";
import { isSupportedOperation } from "./operations";
import type { StartOperationInput } from "./schemas";
import { storeUpload } from "./store-upload";

/** Formats a spreadsheet may be saved as by mistake, recognised by their first bytes. */
const NOT_CSV_SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "an Excel workbook or another ZIP archive (.xlsx): save it as CSV" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: "a legacy Excel workbook (.xls): save it as CSV" },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "a PDF document" },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "a PNG image" },
  { bytes: [0xff, 0xd8, 0xff], what: "a JPEG image" },
];

/** Stores the upload with its checksum and hands it to the job backend; the file is parsed by the job. */
export async function startOperation(options: {
  user: ActingUser;
  input: StartOperationInput;
  file: { name: string; bytes: Uint8Array };
}) {
  const { user, input } = options;
  const file = { name: cleanFileName(options.file.name), bytes: options.file.bytes };
  if (!isSupportedOperation(input.type)) {
    throw new AppError("BAD_REQUEST", { userMessage: `Operation type "${input.type}" is not available yet.` });
  }
  checkUpload(file);
  const operation = await storeUpload({
    type: input.type,
    mode: input.mode,
    uploaderId: user.id,
    fileName: [...file.name].slice(0, 255).join("") || "upload.csv",
    fileChecksum: createHash("sha256").update(file.bytes).digest("hex"),
    bytes: file.bytes,
    beforeInsert: (sql) => claimActiveOperationSlot(sql, user.id, "upload"),
  });
  await dispatchOperation(operation.id, "start");
  return operation;
}

function checkUpload(file: { name: string; bytes: Uint8Array }) {
  const limit = env().MAX_UPLOAD_BYTES;
  if (file.bytes.byteLength > limit) {
    throw new AppError("PAYLOAD_TOO_LARGE", {
      userMessage: `The file is ${formatBytes(file.bytes.byteLength)}; the limit is ${formatBytes(limit)}. Split it into smaller files.`,
    });
  }
  if (file.bytes.byteLength === 0) {
    throw new AppError("INVALID_FILE", { userMessage: `The file "${file.name}" is empty.` });
  }
  const signature = NOT_CSV_SIGNATURES.find((s) => s.bytes.every((b, i) => file.bytes[i] === b));
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

export function formatBytes(bytes: number) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
