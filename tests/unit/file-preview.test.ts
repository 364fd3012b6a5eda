import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { parsePreview } from "@/app/(app)/bulk-operations/new/file-preview";
import { CsvFileError, type CsvHeader, readCsv } from "@/lib/bulk/csv/read-csv";

// The submit screen's preview (run in the browser) must show a file split and decoded exactly as the job
// reads it: the same header and the same first rows, or the same refusal.

const ROWS = 10;
const cp1252 = (text: string) =>
  new Uint8Array([...text].map((c) => ({ é: 0xe9, ü: 0xfc, "€": 0x80, "’": 0x92 })[c] ?? c.charCodeAt(0)));
const utf8 = (text: string) => new TextEncoder().encode(text);

const tricky: { name: string; bytes: Uint8Array }[] = [
  {
    name: "UTF-8 with a BOM, `;` delimited",
    bytes: utf8("\ufeffOrganization;Title;Number\r\nedX;Café;X1\r\nedX;Über;X2\r\n"),
  },
  {
    name: "Windows-1252, quoted newlines",
    bytes: cp1252('organization,title,number\nedX,"Café\nsur deux lignes",X1\nedX,"Prix 10€, l’été",X2\n'),
  },
  { name: "tab delimited", bytes: utf8("organization\ttitle\tnumber\nedX\tA, B\tX1\n") },
  {
    // The only non-UTF-8 byte comes after the first megabyte: the encoding is the whole file's.
    name: "Windows-1252 decided late",
    bytes: new Uint8Array([
      ...utf8("organization,title,number\n"),
      ...utf8(Array.from({ length: 40_000 }, (_, i) => `edX,Course ${i},N${i}\n`).join("")),
      ...cp1252("edX,Café,LAST\n"),
    ]),
  },
];
const fixtureDirs = [join(__dirname, "../fixtures/csv"), join(__dirname, "../fixtures/bad")];
const fixtures = fixtureDirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => !name.endsWith(".ts"))
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) })),
);

class Enough extends Error {}

/** What the job reads: the stored upload in 1 MB pieces, up to the preview's rows. */
async function serverRead(bytes: Uint8Array) {
  const rows: string[][] = [];
  let header: CsvHeader | undefined;
  const pieces = async function* () {
    for (let at = 0; at < bytes.length; at += 1 << 20) {
      yield bytes.subarray(at, at + (1 << 20));
    }
  };
  try {
    await readCsv(
      pieces,
      (batch, h) => {
        header = h;
        rows.push(...batch.map((r) => r.cells));
        if (rows.length > ROWS) {
          throw new Enough();
        }
      },
      { batchSize: 1 },
    );
  } catch (error) {
    if (!(error instanceof Enough)) {
      return { error: (error as CsvFileError).message };
    }
  }
  return { headers: header!.rawHeaders, rows: rows.slice(0, ROWS), truncated: rows.length > ROWS };
}

describe("the submit screen's preview", () => {
  it.each([...tricky, ...fixtures].map((f) => [f.name, f.bytes] as const))(
    "reads %s as the job does",
    async (_, bytes) => {
      expect(await parsePreview(new Blob([new Uint8Array(bytes)]), ROWS)).toEqual(await serverRead(bytes));
    },
  );
});
