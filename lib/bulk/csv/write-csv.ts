// Every CSV the product writes goes through here. No Node-only imports: the readers (read-csv.ts, which
// the browser also runs, and parse-row.ts) undo the formula apostrophe with `restoreFormula`.

/**
 * A cell a spreadsheet would evaluate or act on: one starting with =, +, -, @ (also after leading
 * whitespace, which some spreadsheets skip), or with a tab, carriage return or line feed. What follows
 * does not matter, line breaks included.
 */
const FORMULA_LIKE = /^(?:\s*[=+\-@]|[\t\r\n])/;

/** The cell with an apostrophe in front when a spreadsheet would evaluate it; spreadsheets hide the apostrophe. */
function neutralizeFormula(cell: string): string {
  return FORMULA_LIKE.test(cell) ? `'${cell}` : cell;
}

/**
 * Undoes `neutralizeFormula` for a cell read from a file: one leading apostrophe goes when what follows
 * is formula-like, exactly the cells the writer marks. A file the product wrote thus reads back as the
 * values it was written from; an apostrophe typed before a formula in a spreadsheet is dropped, as the
 * spreadsheet itself shows the cell.
 */
export function restoreFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_LIKE.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** The whole file: the header line, then one CRLF-separated line per row (no line break at the end). */
export function writeCsv(header: string[], rows: string[][]): string {
  return csvLine(header) + csvLines(rows);
}

/** Rows to append to `writeCsv(header, [])`, each preceded by its CRLF, so a file can be written in batches. */
export function csvLines(rows: string[][]): string {
  let text = "";
  for (const row of rows) {
    text += `\r\n${csvLine(row)}`;
  }
  return text;
}

function csvLine(cells: string[]): string {
  return cells.map(csvField).join(",");
}

/** Quoted when neutralized, or when it holds what CSV must quote (delimiter, quote, line break, edge spaces). */
function csvField(value: string): string {
  const cell = neutralizeFormula(value);
  const quote = cell !== value || /[",\r\n\uFEFF]|^ | $/.test(cell);
  return quote ? `"${cell.replaceAll('"', '""')}"` : cell;
}
