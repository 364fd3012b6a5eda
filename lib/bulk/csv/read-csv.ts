import Papa from "papaparse";

import type { FileErrorCode } from "@/lib/bulk/vocabulary/error-codes";

import { restoreFormula } from "./write-csv";

// No Node-only imports: the submit screen previews files in the browser with this module.

export type CsvEncoding = "utf-8" | "windows-1252";
export type CsvDelimiter = "," | ";" | "\t";

export type CsvFileErrorCode = FileErrorCode;

/** The whole file is unusable; the message names the problem and is safe to show to the user. */
export class CsvFileError extends Error {
  readonly code: CsvFileErrorCode;

  constructor(code: CsvFileErrorCode, message: string) {
    super(message);
    this.name = "CsvFileError";
    this.code = code;
  }
}

/**
 * One data record. `cells` are trimmed and aligned with the header; `problem` fails the row, not the
 * file, and `problemColumn` names the column it is about, when it is about one.
 */
export interface CsvRow {
  /** 1-based, header excluded; skipped blank records still count, so numbers follow the spreadsheet. */
  number: number;
  cells: string[];
  problem?: string;
  problemColumn?: string;
}

export interface CsvHeader {
  /** Normalized names (see `normalizeHeader`); an unnamed column is "" and should be ignored. */
  headers: string[];
  /** The names as written in the file, trimmed. */
  rawHeaders: string[];
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
}

export interface CsvSummary extends CsvHeader {
  /** Data rows delivered, blank records excluded. */
  rowCount: number;
}

export interface ReadCsvOptions {
  /** Rows per `onBatch` call (the last batch may be smaller). Default 2000. */
  batchSize?: number;
  /** More data rows than this fails the file with TOO_MANY_ROWS. */
  maxRows?: number;
  /** A longer cell fails its row. Default 100,000 characters. */
  maxCellLength?: number;
}

export interface CsvPreview extends CsvHeader {
  rows: string[][];
  /** The file has more rows than the preview shows. */
  truncated: boolean;
}

// Bytes decoded and handed to papaparse at a time: the file is never held as one string. Measured on
// 100,000 rows × 40 columns, 128 KB parses twice as fast as 1 MB: fewer rows outlive the young
// generation.
const CHUNK_BYTES = 1 << 17;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
// The start of the file that tells binary data from text.
const HEAD_BYTES = 4096;
// What Windows-1252 puts at bytes 0x80-0x9F (WHATWG Encoding Standard); the five unassigned bytes
// stay as they are.
const CP1252_C1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

export function normalizeHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_")
    .replace(/_+/g, "_");
}

export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const encoding = detectEncoding(bytes);
  return { text: decode(createDecoder(encoding), withoutBom(bytes), false), encoding };
}

/**
 * A row's non-blank cells by column name, unnamed columns left out. Built from its entries in one go:
 * set one key at a time from a list of names, an object of more than a dozen keys becomes a hash table
 * in V8, several times larger, and a job keeps a whole batch of these while it stores them.
 */
export function cellsByColumn(headers: string[], cells: string[]): Record<string, string> {
  const entries: [string, string][] = [];
  headers.forEach((column, i) => {
    if (column && cells[i] !== undefined && cells[i] !== "") {
      entries.push([column, cells[i]]);
    }
  });
  return Object.fromEntries(entries);
}

/** The delimiter used most, outside quotes, on the first non-blank line; `,` when none appears. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  let lineHasContent = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      quoted = !quoted;
    } else if (quoted) {
      continue;
    } else if (char === "\n" || char === "\r") {
      if (lineHasContent) {
        break;
      }
      continue;
    } else if (char === "," || char === ";" || char === "\t") {
      counts[char]++;
    } else if (char === " ") {
      continue;
    }
    lineHasContent = true;
  }
  if (counts[";"] > counts[","] && counts[";"] >= counts["\t"]) {
    return ";";
  }
  return counts["\t"] > counts[","] ? "\t" : ",";
}

/**
 * The file: its bytes, or a function that reads them as pieces from the start each time it is called.
 * The file is read twice (its encoding is known only at its end), and never held whole when in pieces.
 */
export type CsvSource = Uint8Array | (() => AsyncIterable<Uint8Array>);

/**
 * Reads a CSV upload and hands its data rows to `onBatch` in order, awaiting each call, so that only
 * one batch of rows is alive at a time. Throws `CsvFileError` when the file as a whole is unusable;
 * that can happen after some batches were delivered (quotes, row limit), so callers treat it as
 * "discard everything".
 */
export async function readCsv(
  source: CsvSource,
  onBatch: (rows: CsvRow[], header: CsvHeader) => Promise<void> | void,
  options: ReadCsvOptions = {},
): Promise<CsvSummary> {
  return scanCsv(source, onBatch, options, Infinity);
}

/**
 * Header and first rows, as `readCsv` reads them, for the submit screen (in the browser); parses no
 * further than it needs (the encoding is still decided on the whole file).
 */
export async function previewCsv(source: CsvSource, limit = 20): Promise<CsvPreview> {
  let rows: CsvRow[] = [];
  const summary = await scanCsv(
    source,
    (batch) => {
      rows = batch;
    },
    { batchSize: limit + 1 },
    limit + 1,
  );
  const { headers, rawHeaders, encoding, delimiter } = summary;
  return {
    headers,
    rawHeaders,
    encoding,
    delimiter,
    rows: rows.slice(0, limit).map((row) => row.cells),
    truncated: rows.length > limit,
  };
}

async function scanCsv(
  source: CsvSource,
  onBatch: (rows: CsvRow[], header: CsvHeader) => Promise<void> | void,
  options: ReadCsvOptions,
  stopAfterRows: number,
): Promise<CsvSummary> {
  const { batchSize = 2000, maxRows = Infinity, maxCellLength = 100_000 } = options;
  const pieces =
    typeof source === "function"
      ? source
      : async function* () {
          yield source;
        };
  const { encoding, hasNul } = await inspectBytes(pieces());
  const body = new PieceReader(pieces());
  await body.skip(UTF8_BOM);
  const decoder = createDecoder(encoding);
  // The core parser, driven chunk by chunk, lets us await between batches without papaparse's
  // pause/resume machinery.
  let parser: Papa.Parser | undefined;
  let delimiter: CsvDelimiter = ",";

  let header: CsvHeader | undefined;
  let number = 0;
  let rowCount = 0;
  let batch: CsvRow[] = [];
  // Decoded text not parsed yet: the unfinished record of the previous chunk, then the new chunk.
  let text = "";
  let heldCarriageReturn = false;
  let linesBefore = 0;
  let size = CHUNK_BYTES;

  for (;;) {
    const { bytes, last } = await body.read(size);
    let piece = decode(decoder, bytes, !last);
    // One line ending lets papaparse split on "\n" only, whatever mix Excel or an editor produced;
    // a "\r" ending the chunk waits in case its "\n" starts the next one.
    if (heldCarriageReturn) {
      piece = `\r${piece}`;
    }
    heldCarriageReturn = !last && piece.endsWith("\r");
    if (heldCarriageReturn) {
      piece = piece.slice(0, -1);
    }
    piece = piece.replaceAll("\r\n", "\n");
    if (piece.includes("\r")) {
      piece = piece.replaceAll("\r", "\n");
    }
    text += piece;
    if (parser === undefined) {
      delimiter = detectDelimiter(text);
      parser = new Papa.Parser({ delimiter, newline: "\n" });
    }
    const result = parser.parse(text, 0, !last) as Papa.ParseResult<string[]>;
    const records = result.data;
    // Errors about the unfinished record at the chunk's end are re-checked with the next chunk.
    const quoteError = result.errors.find((error) => error.row !== undefined && error.row < records.length);

    for (let i = 0; i < records.length; i++) {
      if (i === quoteError?.row) {
        const line = linesBefore + countLines(text, quoteError.index ?? 0);
        throw quoteFileError(quoteError, text, line, header ? `Row ${number + 1}` : "The header line");
      }
      const cells = records[i];
      const longest = trimCells(cells);
      if (header === undefined) {
        if (longest > 0) {
          header = readHeader(cells, encoding, delimiter);
        }
        continue;
      }
      number++;
      if (longest === 0) {
        continue;
      }
      rowCount++;
      if (rowCount > maxRows) {
        throw new CsvFileError(
          "TOO_MANY_ROWS",
          `The file has more than ${maxRows.toLocaleString("en-US")} rows; split it into smaller files`,
        );
      }
      batch.push(toRow(number, cells, header, longest > maxCellLength ? maxCellLength : undefined, hasNul));
      if (batch.length === batchSize) {
        await onBatch(batch, header);
        batch = [];
      }
      if (rowCount === stopAfterRows) {
        return { ...header, rowCount };
      }
    }

    if (last) {
      break;
    }
    const cursor: number = result.meta.cursor;
    linesBefore += countLines(text, cursor) - 1;
    text = text.slice(cursor);
    // No complete record in the text (a huge or unclosed quoted cell): read more at a time, so that
    // re-parsing the growing record stays linear.
    size = cursor === 0 ? size * 2 : CHUNK_BYTES;
  }

  if (header === undefined) {
    throw new CsvFileError("EMPTY_FILE", "The file is empty");
  }
  if (rowCount === 0) {
    throw new CsvFileError("NO_DATA_ROWS", "The file has a header but no data rows");
  }
  if (batch.length > 0) {
    await onBatch(batch, header);
  }
  return { ...header, rowCount };
}

/** One pass over the file, holding one piece at a time: see `EncodingInspector`. */
async function inspectBytes(pieces: AsyncIterable<Uint8Array>) {
  const inspector = new EncodingInspector();
  for await (const piece of pieces) {
    inspector.scan(piece);
  }
  return inspector.result();
}

function detectEncoding(bytes: Uint8Array): CsvEncoding {
  const inspector = new EncodingInspector();
  inspector.scan(bytes);
  return inspector.result().encoding;
}

/**
 * Fed the file piece by piece: rejects what is not text, tells UTF-8 from Windows-1252, and notes
 * whether a NUL occurs.
 */
class EncodingInspector {
  private readonly head = new Uint8Array(HEAD_BYTES);
  private headLength = 0;
  private readonly utf8 = createDecoder("utf-8");
  private isUtf8 = true;
  private readonly mixed = new MixedEncodingScanner();
  private hasNul = false;

  scan(piece: Uint8Array) {
    if (this.headLength < HEAD_BYTES) {
      const taken = piece.subarray(0, HEAD_BYTES - this.headLength);
      this.head.set(taken, this.headLength);
      this.headLength += taken.length;
      if (this.headLength === HEAD_BYTES) {
        rejectNonText(this.head);
      }
    }
    this.hasNul ||= piece.includes(0);
    this.mixed.scan(piece);
    for (let offset = 0; this.isUtf8 && offset < piece.length; offset += CHUNK_BYTES) {
      try {
        this.utf8.decode(piece.subarray(offset, offset + CHUNK_BYTES), { stream: true });
      } catch {
        this.isUtf8 = false;
      }
    }
  }

  result(): { encoding: CsvEncoding; hasNul: boolean } {
    if (this.headLength < HEAD_BYTES) {
      rejectNonText(this.head.subarray(0, this.headLength));
    }
    try {
      this.utf8.decode();
    } catch {
      this.isUtf8 = false;
    }
    if (this.isUtf8) {
      return { encoding: "utf-8", hasNul: this.hasNul };
    }
    // Not valid UTF-8: Excel's "CSV (Comma delimited)" on Windows writes the ANSI code page; unless
    // the file is UTF-8 elsewhere, where guessing either way would store garbled text.
    const line = this.mixed.invalidLine();
    if (line !== undefined) {
      throw new CsvFileError(
        "MIXED_ENCODINGS",
        `The file mixes encodings: it is UTF-8, but line ${line} is not (text pasted from a Windows-1252 file?); ` +
          `save the whole file as "CSV UTF-8" and upload it again`,
      );
    }
    return { encoding: "windows-1252", hasNul: this.hasNul };
  }
}

/**
 * For a file that is not valid UTF-8: finds the line of its first invalid byte when other lines hold
 * valid multi-byte UTF-8 (accented letters typed as UTF-8); `invalidLine()` is undefined for a plain
 * Windows-1252 file, even behind the BOM Excel writes. Fed piece by piece; a sequence may span pieces.
 */
class MixedEncodingScanner {
  private atStart = true;
  private line = 1;
  private validMultibyte = false;
  private firstInvalidLine: number | undefined;
  /** Continuation bytes still expected by the multi-byte sequence under way. */
  private expected = 0;

  scan(piece: Uint8Array) {
    let i = 0;
    if (this.atStart) {
      this.atStart = false;
      i = UTF8_BOM.every((byte, k) => piece[k] === byte) ? UTF8_BOM.length : 0;
    }
    for (; i < piece.length && !this.done(); i++) {
      const byte = piece[i];
      if (this.expected > 0) {
        if ((byte & 0xc0) === 0x80) {
          this.expected--;
          this.validMultibyte ||= this.expected === 0;
          continue;
        }
        // The sequence's first byte was invalid; this byte is read afresh.
        this.invalid();
      }
      if (byte < 0x80) {
        this.line += byte === 0x0a && this.firstInvalidLine === undefined ? 1 : 0;
        continue;
      }
      const length =
        byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
      if (length === 0) {
        this.invalid();
      } else {
        this.expected = length - 1;
      }
    }
  }

  invalidLine(): number | undefined {
    if (this.expected > 0) {
      // The file ends inside a sequence.
      this.invalid();
    }
    return this.validMultibyte ? this.firstInvalidLine : undefined;
  }

  private invalid() {
    this.expected = 0;
    this.firstInvalidLine ??= this.line;
  }

  private done() {
    return this.validMultibyte && this.firstInvalidLine !== undefined;
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/** Reads a file given as pieces in chunks of any size: a chunk within one piece is not copied. */
class PieceReader {
  private piece: Uint8Array = new Uint8Array(0);
  private at = 0;
  private ended = false;

  constructor(pieces: AsyncIterable<Uint8Array>) {
    this.iterator = pieces[Symbol.asyncIterator]();
  }

  private readonly iterator: AsyncIterator<Uint8Array>;

  /** Up to `size` bytes, and whether they are the file's last. */
  async read(size: number): Promise<{ bytes: Uint8Array; last: boolean }> {
    await this.fill(size);
    const end = Math.min(this.at + size, this.piece.length);
    const bytes = this.piece.subarray(this.at, end);
    this.at = end;
    return { bytes, last: !(await this.fill(1)) };
  }

  /** Skips `prefix` when the file starts with it. */
  async skip(prefix: number[]) {
    await this.fill(prefix.length);
    if (prefix.every((byte, i) => this.piece[this.at + i] === byte)) {
      this.at += prefix.length;
    }
  }

  /** Makes `size` bytes (or all that is left) readable from `piece`; false when none are left. */
  private async fill(size: number): Promise<boolean> {
    const parts = [this.piece.subarray(this.at)];
    let available = parts[0].length;
    while (available < size && !this.ended) {
      const next = await this.iterator.next();
      if (next.done) {
        this.ended = true;
      } else {
        parts.push(next.value);
        available += next.value.length;
      }
    }
    if (parts.length > 1) {
      // Only a chunk that spans pieces is copied, once.
      this.piece = parts[0].length === 0 && parts.length === 2 ? parts[1] : concat(parts, available);
      this.at = 0;
    }
    return this.piece.length > this.at;
  }
}

function createDecoder(encoding: CsvEncoding): TextDecoder {
  return encoding === "utf-8" ? new TextDecoder("utf-8", { fatal: true }) : new TextDecoder("windows-1252");
}

function decode(decoder: TextDecoder, bytes: Uint8Array, stream: boolean): string {
  const text = decoder.decode(bytes, { stream });
  // Node 20.18.3+ decodes windows-1252 as Latin-1 (nodejs/node#60888): bytes 0x80-0x9F come out as
  // C1 controls, which UTF-8 text never contains, so mapping them is right there and a no-op elsewhere.
  return decoder.encoding === "windows-1252"
    ? text.replace(/[\u0080-\u009f]/g, (char) => CP1252_C1[char.charCodeAt(0) - 0x80])
    : text;
}

function withoutBom(bytes: Uint8Array): Uint8Array {
  return UTF8_BOM.every((byte, i) => bytes[i] === byte) ? bytes.subarray(UTF8_BOM.length) : bytes;
}

/** 1 + the number of line breaks before `end`: the line that `text[end]` is on. */
function countLines(text: string, end: number): number {
  let lines = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) {
    lines++;
  }
  return lines;
}

function rejectNonText(bytes: Uint8Array) {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new CsvFileError(
      "UNSUPPORTED_ENCODING",
      'The file is saved as UTF-16 ("Unicode text"); save it as "CSV UTF-8" and upload it again',
    );
  }
  // Zip (.xlsx) and OLE (.xls) signatures: the commonest wrong upload deserves a precise hint.
  const isWorkbook =
    (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) ||
    (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0);
  if (isWorkbook) {
    throw new CsvFileError(
      "BINARY_FILE",
      'The file is an Excel workbook, not a CSV; in Excel use "Save As" > "CSV UTF-8" and upload that file',
    );
  }
  // Control characters other than tab, line feed, form feed and carriage return do not occur in text;
  // a stray one (a NUL pasted into a cell) fails its row, many make the file binary.
  const head = bytes.subarray(0, HEAD_BYTES);
  let control = 0;
  for (const byte of head) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) {
      control++;
    }
  }
  if (control > head.length / 10) {
    throw new CsvFileError("BINARY_FILE", "The file is not a text CSV: it is mostly binary data");
  }
}

/** Trims every cell in place; returns the longest trimmed length (0 for a blank record). */
function trimCells(cells: string[]): number {
  let longest = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i].trim();
    cells[i] = cell;
    if (cell.length > longest) {
      longest = cell.length;
    }
  }
  return longest;
}

function readHeader(written: string[], encoding: CsvEncoding, delimiter: CsvDelimiter): CsvHeader {
  // Header cells are neutralized like any other (see writeCsv); data cells are restored by parse-row.
  const cells = written.map(restoreFormula);
  const headers = cells.map(normalizeHeader);
  const positions = new Map<string, number[]>();
  headers.forEach((name, i) => {
    if (name !== "") {
      positions.set(name, [...(positions.get(name) ?? []), i + 1]);
    }
  });
  const duplicates = [...positions].filter(([, columns]) => columns.length > 1);
  if (duplicates.length > 0) {
    const list = duplicates.map(([name, columns]) => `"${name}" (columns ${columns.join(", ")})`).join("; ");
    throw new CsvFileError(
      "DUPLICATE_COLUMNS",
      `The header names a column more than once: ${list}; keep one of each and upload again`,
    );
  }
  return { headers, rawHeaders: [...cells], encoding, delimiter };
}

function toRow(
  number: number,
  cells: string[],
  header: CsvHeader,
  cellLimit: number | undefined,
  hasNul: boolean,
): CsvRow {
  const width = header.headers.length;
  if (cells.length > width) {
    // Trailing empty cells (a spreadsheet's stray commas) carry nothing and are dropped.
    let used = cells.length;
    while (used > width && cells[used - 1] === "") {
      used--;
    }
    cells.length = width;
    if (used > width) {
      const problem =
        `Row ${number} has ${used} cells but the header has ${width} columns ` +
        `(a value containing "${header.delimiter === "\t" ? "tab" : header.delimiter}" must be in double quotes)`;
      return { number, cells, problem };
    }
  } else {
    while (cells.length < width) {
      cells.push("");
    }
  }
  const columnName = (i: number) => header.headers[i] || String(i + 1);
  if (cellLimit !== undefined) {
    const column = cells.findIndex((cell) => cell.length > cellLimit);
    const problem =
      `Row ${number}, column ${columnName(column)}: the cell has ` +
      `${cells[column].length.toLocaleString("en-US")} characters; the limit is ${cellLimit.toLocaleString("en-US")}`;
    return { number, cells, problem, problemColumn: header.headers[column] || undefined };
  }
  const nul = hasNul ? cells.findIndex((cell) => cell.includes("\0")) : -1;
  if (nul !== -1) {
    const problem = `Row ${number}, column ${columnName(nul)}: the cell contains a NUL character (an invisible control byte); retype the value`;
    // PostgreSQL text cannot hold NUL: the row is kept (for the error file) with it shown as "�".
    for (let i = 0; i < cells.length; i++) {
      cells[i] = cells[i].replaceAll("\0", "\uFFFD");
    }
    return { number, cells, problem, problemColumn: header.headers[nul] || undefined };
  }
  return { number, cells };
}

function quoteFileError(error: Papa.ParseError, text: string, line: number, where: string): CsvFileError {
  if (error.code === "MissingQuotes") {
    return new CsvFileError(
      "UNBALANCED_QUOTES",
      `${where} (line ${line} of the file) has a double quote (") that is never closed, so the rest of ` +
        `the file would be read as one cell; close the quote, or write a quote inside a value as ""`,
    );
  }
  const offset = error.index ?? 0;
  const near = text.slice(offset - 1, offset + 40).split("\n")[0];
  return new CsvFileError(
    "MALFORMED_QUOTES",
    `${where} (line ${line} of the file) has text after a closing double quote, near ${near}; ` +
      `put the whole value in double quotes and write a quote inside it as ""`,
  );
}
