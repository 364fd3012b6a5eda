import Papa from "papaparse";

/**
 * Every CSV the product writes goes through here. Cells that a spreadsheet would run as a formula
 * (=, +, -, @, tab, CR) get a leading apostrophe; the reader removes it again, so files round-trip.
 */
export function writeCsv(header: string[], rows: string[][]): string {
  return Papa.unparse({ fields: header, data: rows }, { escapeFormulae: true, newline: "\r\n" });
}
