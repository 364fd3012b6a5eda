import { CsvFileError, previewCsv } from "@/lib/bulk/csv/read-csv";

export type Preview = { headers: string[]; rows: string[][]; truncated: boolean } | { error: string };

/**
 * Header and first rows, read by the server's own reader (lib/bulk/csv/read-csv.ts), so the preview shows
 * the file split and decoded exactly as the job will read it. The file is handed over in pieces: the
 * encoding is decided on the whole file, as on the server, without holding it as one string.
 */
export async function parsePreview(file: Blob, rows = 10): Promise<Preview> {
  try {
    const preview = await previewCsv(() => filePieces(file), rows);
    return { headers: preview.rawHeaders, rows: preview.rows, truncated: preview.truncated };
  } catch (error) {
    return { error: error instanceof CsvFileError ? error.message : "The file could not be read." };
  }
}

async function* filePieces(file: Blob) {
  const pieceBytes = 1 << 20;
  for (let at = 0; at < file.size; at += pieceBytes) {
    yield new Uint8Array(await file.slice(at, at + pieceBytes).arrayBuffer());
  }
}
