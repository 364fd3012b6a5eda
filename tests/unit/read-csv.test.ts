import { readFileSync } from "node:fs";
import { join } from "node:path";

import Papa from "papaparse";
import { describe, expect, it } from "vitest";

import {
  CsvFileError,
  type CsvRow,
  decodeCsvBytes,
  detectDelimiter,
  normalizeHeader,
  previewCsv,
  readCsv,
  type ReadCsvOptions,
} from "@/lib/bulk/csv/read-csv";

const fixtures = join(__dirname, "../fixtures/csv");
const utf8 = (text: string) => new TextEncoder().encode(text);

// Windows-1252 bytes as Excel writes them: Latin-1 plus a few punctuation marks in 0x80-0x9F.
const CP1252_EXTRAS: Record<string, number> = { "€": 0x80, "’": 0x92, "–": 0x96 };
function cp1252(text: string): Uint8Array {
  return Uint8Array.from([...text].map((char) => CP1252_EXTRAS[char] ?? char.charCodeAt(0)));
}

async function readAll(bytes: Uint8Array, options?: ReadCsvOptions) {
  const batches: CsvRow[][] = [];
  const summary = await readCsv(bytes, (rows) => void batches.push(rows), options);
  return { summary, batches, rows: batches.flat() };
}

async function fileError(bytes: Uint8Array, options?: ReadCsvOptions): Promise<CsvFileError> {
  const error = await readAll(bytes, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CsvFileError);
  return error as CsvFileError;
}

describe("normalizeHeader", () => {
  it.each([
    ["Course Run Key", "course_run_key"],
    [" Start-Date ", "start_date"],
    ["course_run_key", "course_run_key"],
    ["Start  -  Date", "start_date"],
    ["a__b", "a_b"],
    ["Title\u00a0", "title"],
    ["", ""],
  ])("%j → %j", (raw, expected) => {
    expect(normalizeHeader(raw)).toBe(expected);
  });
});

describe("detectDelimiter", () => {
  it.each([
    ["a,b,c\n1,2,3", ","],
    ["a;b;c\r\n1;2;3", ";"],
    ["a\tb\tc\n1\t2\t3", "\t"],
    ['"x;y;z",b\n1,2', ","],
    ['"Start, Date";Title\n', ";"],
    ["\n\n  \na;b\n1,2,3,4", ";"],
    ["title\n1,2;3", ","],
    ["", ","],
  ])("%j → %j", (text, expected) => {
    expect(detectDelimiter(text)).toBe(expected);
  });
});

describe("decodeCsvBytes", () => {
  it("decodes UTF-8 and strips its byte order mark", () => {
    expect(decodeCsvBytes(utf8("\ufeffÉconomie,ok"))).toEqual({ text: "Économie,ok", encoding: "utf-8" });
    expect(decodeCsvBytes(utf8("plain"))).toEqual({ text: "plain", encoding: "utf-8" });
  });

  it("falls back to Windows-1252 when the bytes are not UTF-8", () => {
    expect(decodeCsvBytes(cp1252("Économie – 10 € l’été"))).toEqual({
      text: "Économie – 10 € l’été",
      encoding: "windows-1252",
    });
  });

  it("maps every Windows-1252 byte in 0x80-0x9F to its character", () => {
    const codePoints = [
      0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d,
      0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d,
      0x17e, 0x178,
    ];
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
    expect(decodeCsvBytes(bytes).text).toBe(String.fromCodePoint(...codePoints));
  });

  it("rejects UTF-16 with a hint to save as CSV UTF-8", () => {
    for (const bom of [
      [0xff, 0xfe],
      [0xfe, 0xff],
    ]) {
      expect(() => decodeCsvBytes(Uint8Array.from([...bom, 0x61, 0x00]))).toThrow(
        expect.objectContaining({ code: "UNSUPPORTED_ENCODING", message: expect.stringContaining("CSV UTF-8") }),
      );
    }
  });

  it("rejects binary data, but fails only the row of a stray NUL byte in a text file, naming its column", async () => {
    expect(() => decodeCsvBytes(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 0x61, 0x62]))).toThrow(
      expect.objectContaining({ code: "BINARY_FILE", message: expect.stringContaining("mostly binary data") }),
    );
    const rows: CsvRow[] = [];
    await readCsv(utf8("title,number\nIntro\u0000duction,1\nFine,2\n"), (batch) => {
      rows.push(...batch);
    });
    expect(rows).toEqual([
      {
        number: 1,
        cells: ["Intro\uFFFDduction", "1"],
        problem: "Row 1, column title: the cell contains a NUL character (an invisible control byte); retype the value",
        problemColumn: "title",
      },
      { number: 2, cells: ["Fine", "2"] },
    ]);
  });

  it("rejects a UTF-8 file with a line in another encoding, naming the line", () => {
    const mixed = Buffer.concat([Buffer.from("title\nÉconomie\n", "utf8"), Buffer.from("Économie – coût\n", "latin1")]);
    expect(() => decodeCsvBytes(mixed)).toThrow(
      expect.objectContaining({ code: "MIXED_ENCODINGS", message: expect.stringContaining("line 3") }),
    );
  });

  it("recognizes an Excel workbook uploaded instead of a CSV", () => {
    const xlsx = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    expect(() => decodeCsvBytes(xlsx)).toThrow(
      expect.objectContaining({ code: "BINARY_FILE", message: expect.stringContaining("Excel workbook") }),
    );
  });
});

describe("readCsv", () => {
  const clean = readFileSync(join(fixtures, "courses.csv"));
  const expectedRows = [
    {
      number: 1,
      cells: ["edX", "Économie – coût 10 €", "ECO101", "2025-09-01", 'Prices, markets and "nudges"'],
    },
    {
      number: 2,
      cells: ["MITx", "Introducción a la programación", "CS50", "09/15/2025", "Line one\nline two"],
    },
  ];
  const excelText =
    "Organization;Title;Number;Start Date;Short-Description\r\n" +
    'edX;Économie – coût 10 €;ECO101;2025-09-01;"Prices, markets and ""nudges"""\r\n' +
    'MITx;Introducción a la programación;CS50;09/15/2025;"Line one\r\nline two"\r\n';

  it("reads the clean UTF-8 fixture", async () => {
    const { summary, rows } = await readAll(new Uint8Array(clean));
    expect(summary).toEqual({
      headers: ["organization", "title", "number", "start_date", "short_description"],
      rawHeaders: ["organization", "title", "number", "start_date", "short_description"],
      encoding: "utf-8",
      delimiter: ",",
      rowCount: 2,
    });
    expect(rows).toEqual(expectedRows);
  });

  it.each([
    ["UTF-8 with BOM", utf8(`\ufeff${excelText}`), "utf-8"],
    ["Windows-1252", cp1252(excelText), "windows-1252"],
    ["Windows-1252 behind a UTF-8 BOM", Uint8Array.from([0xef, 0xbb, 0xbf, ...cp1252(excelText)]), "windows-1252"],
  ])(
    "reads an Excel-style twin (%s, Title Case, CRLF, semicolons) exactly like the clean file",
    async (_, bytes, encoding) => {
      const twin = await readAll(bytes);
      const original = await readAll(new Uint8Array(clean));
      expect(twin.summary.headers).toEqual(original.summary.headers);
      expect(twin.summary.rawHeaders).toEqual(["Organization", "Title", "Number", "Start Date", "Short-Description"]);
      expect(twin.summary).toMatchObject({ encoding, delimiter: ";", rowCount: 2 });
      expect(twin.rows).toEqual(original.rows);
    },
  );

  it("keeps delimiters, doubled quotes and line breaks inside quoted cells", async () => {
    const { rows } = await readAll(utf8('a,b,c\n"x, y","say ""hi""","one\ntwo\r\nthree"\n""," "" ",plain\n'));
    expect(rows).toEqual([
      { number: 1, cells: ["x, y", 'say "hi"', "one\ntwo\nthree"] },
      { number: 2, cells: ["", '"', "plain"] },
    ]);
  });

  it("trims cells and header names", async () => {
    const { summary, rows } = await readAll(utf8("  Title , Number\n  Économie  ,\t42 \n"));
    expect(summary.rawHeaders).toEqual(["Title", "Number"]);
    expect(rows[0].cells).toEqual(["Économie", "42"]);
  });

  it("ignores trailing blank lines", async () => {
    const { summary, rows } = await readAll(utf8("a,b\r\n1,2\r\n\r\n\r\n  \r\n"));
    expect(summary.rowCount).toBe(1);
    expect(rows).toEqual([{ number: 1, cells: ["1", "2"] }]);
  });

  it("skips blank records in the middle but keeps counting them", async () => {
    const { summary, rows } = await readAll(utf8("a,b\n1,2\n\n   \n,,\n3,4\n"));
    expect(summary.rowCount).toBe(2);
    expect(rows.map((row) => row.number)).toEqual([1, 5]);
  });

  it("numbers records, not physical lines, when a cell spans lines", async () => {
    const { rows } = await readAll(utf8('a,b\n"multi\nline\ncell",x\ny,z\n'));
    expect(rows.map((row) => row.number)).toEqual([1, 2]);
  });

  it("skips blank lines before the header", async () => {
    const { summary, rows } = await readAll(utf8("\n\r\n,,\na,b\n1,2\n"));
    expect(summary.headers).toEqual(["a", "b"]);
    expect(rows).toEqual([{ number: 1, cells: ["1", "2"] }]);
  });

  it("flags a row with more cells than the header, and pads a short one", async () => {
    const { rows } = await readAll(utf8("a,b,c\n1,2,3,4,5\n1\n1,2,3,,,\n"));
    expect(rows).toEqual([
      {
        number: 1,
        cells: ["1", "2", "3"],
        problem: 'Row 1 has 5 cells but the header has 3 columns (a value containing "," must be in double quotes)',
      },
      { number: 2, cells: ["1", "", ""] },
      { number: 3, cells: ["1", "2", "3"] },
    ]);
  });

  it("names the semicolon in the too-many-cells hint of a semicolon file", async () => {
    const { rows } = await readAll(utf8("a;b\n1;2;3\n"));
    expect(rows[0].problem).toContain('containing ";"');
  });

  it("keeps unnamed columns as empty header names", async () => {
    const { summary, rows } = await readAll(utf8("title,,number\nA,ignored,1\n"));
    expect(summary.headers).toEqual(["title", "", "number"]);
    expect(rows[0].cells).toEqual(["A", "ignored", "1"]);
  });

  it("accepts a 100,000-character cell and fails only the row of a longer one", async () => {
    const long = "x".repeat(100_000);
    const { rows } = await readAll(utf8(`title,description\nA,${long}\nB,${long}y\nC,short\n`));
    expect(rows[0]).toEqual({ number: 1, cells: ["A", long] });
    expect(rows[1].problem).toBe("Row 2, column description: the cell has 100,001 characters; the limit is 100,000");
    expect(rows[2]).toEqual({ number: 3, cells: ["C", "short"] });
  });

  it("honours a custom cell length limit", async () => {
    const { rows } = await readAll(utf8("a,b\nabcdef,x\n"), { maxCellLength: 5 });
    expect(rows[0].problem).toBe("Row 1, column a: the cell has 6 characters; the limit is 5");
  });

  it("delivers rows in batches of the requested size, in order, awaiting each batch", async () => {
    const lines = Array.from({ length: 7 }, (_, i) => `${i + 1},value ${i + 1}`);
    const events: string[] = [];
    const sizes: number[] = [];
    const numbers: number[] = [];
    const summary = await readCsv(
      utf8(`id,name\n${lines.join("\n")}\n`),
      async (rows, header) => {
        expect(header.headers).toEqual(["id", "name"]);
        events.push(`start ${rows[0].number}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`end ${rows[0].number}`);
        sizes.push(rows.length);
        numbers.push(...rows.map((row) => row.number));
      },
      { batchSize: 3 },
    );
    expect(sizes).toEqual([3, 3, 1]);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events).toEqual(["start 1", "end 1", "start 4", "end 4", "start 7", "end 7"]);
    expect(summary.rowCount).toBe(7);
  });

  it("propagates an error thrown by onBatch", async () => {
    const failure = new CsvFileError("MISSING_COLUMNS", "The file is missing required column(s): title");
    await expect(readCsv(utf8("a\n1\n"), () => Promise.reject(failure))).rejects.toBe(failure);
  });

  it("matches papaparse's whole-text result across its internal chunks", async () => {
    // ~3 MB with quoted multi-line cells and doubled quotes, so records straddle chunk boundaries.
    const records = Array.from({ length: 20_000 }, (_, i) => [
      String(i),
      i % 3 === 0 ? `línea ${i}\nnext, "quoted" line` : `value ${i} – ok`,
      "x".repeat(i % 97),
      i % 5 === 0 ? "" : `tail;${i}`,
    ]);
    const text = Papa.unparse([["id", "text", "filler", "tail"], ...records], { newline: "\r\n" });
    const { rows } = await readAll(utf8(text));
    expect(rows.map((row) => row.cells)).toEqual(records);
    expect(rows.at(-1)?.number).toBe(20_000);
  });

  it("handles a character or a CRLF split between two decoded chunks", async () => {
    // The reader decodes 128 KB at a time; shifting 4-byte "é\r\n" records by 0-3 bytes puts each of
    // their bytes last in the first chunk in turn.
    for (let shift = 0; shift < 4; shift++) {
      const filler = "x".repeat(2 ** 17 - 64 - shift);
      const { rows } = await readAll(utf8(`h\r\n${filler}\r\n${"é\r\n".repeat(40)}`), { maxCellLength: 2 ** 17 });
      expect(rows.map((row) => row.cells[0])).toEqual([filler, ...Array<string>(40).fill("é")]);
      expect(rows.at(-1)?.number).toBe(41);
    }
  });

  it("counts lines across chunks when naming an unclosed quote", async () => {
    const error = await fileError(utf8(`a,b\n${"1,2\n".repeat(400_000)}3,"open\n4,5\n`));
    expect(error.message).toMatch(/^Row 400001 \(line 400002 of the file\)/);
  });

  it("reads a quoted cell larger than a parser chunk", async () => {
    const huge = "a\nb,".repeat(600_000);
    const { rows } = await readAll(utf8(`id,text\n1,"${huge}"\n2,end\n`), { maxCellLength: 3_000_000 });
    expect(rows.map((row) => [row.number, row.cells[1].length])).toEqual([
      [1, huge.length],
      [2, 3],
    ]);
  });

  describe("rejects a file that cannot be read", () => {
    it.each([
      ["no bytes", new Uint8Array()],
      ["only whitespace", utf8(" \r\n\n\t ")],
      ["only a byte order mark", utf8("\ufeff")],
    ])("empty: %s", async (_, bytes) => {
      const error = await fileError(bytes);
      expect(error.code).toBe("EMPTY_FILE");
      expect(error.message).toBe("The file is empty");
    });

    it("empty: only blank records", async () => {
      expect(await fileError(utf8(",,\n , \n"))).toMatchObject({ code: "EMPTY_FILE" });
    });

    it.each([["a,b"], ["a,b\n"], ["a,b\r\n\r\n,,\r\n"]])("header only: %j", async (text) => {
      const error = await fileError(utf8(text));
      expect(error.code).toBe("NO_DATA_ROWS");
      expect(error.message).toBe("The file has a header but no data rows");
    });

    it("binary content", async () => {
      const error = await fileError(Uint8Array.from([0x61, 0x2c, 0x62, 0x0a, 0x00, 0x01, 0x02]));
      expect(error.code).toBe("BINARY_FILE");
      expect(error.message).toContain("mostly binary data");
    });

    it("an unclosed quote, naming its row and line", async () => {
      const error = await fileError(new Uint8Array(readFileSync(join(fixtures, "unclosed-quote.csv"))));
      expect(error.code).toBe("UNBALANCED_QUOTES");
      expect(error.message).toMatch(/^Row 2 \(line 3 of the file\) has a double quote \("\) that is never closed/);
    });

    it("an unclosed quote after a multi-line cell counts physical lines", async () => {
      const error = await fileError(utf8('a,b\n"x\ny",1\n\nz,"open\n'));
      expect(error.message).toMatch(/^Row 3 \(line 5 of the file\)/);
    });

    it("an unclosed quote in the header", async () => {
      const error = await fileError(utf8('"title,number\n1,2\n'));
      expect(error.code).toBe("UNBALANCED_QUOTES");
      expect(error.message).toMatch(/^The header line \(line 1 of the file\)/);
    });

    it("text after a closing quote", async () => {
      const error = await fileError(utf8('title,number\nok,1\n"Intro" to AI,2\n'));
      expect(error.code).toBe("MALFORMED_QUOTES");
      expect(error.message).toMatch(
        /^Row 2 \(line 3 of the file\) has text after a closing double quote, near "Intro" to AI/,
      );
    });

    it("duplicated columns after normalization, naming them", async () => {
      const error = await fileError(utf8("Title,Start Date,start_date,TITLE,other\n1,2,3,4,5\n"));
      expect(error.code).toBe("DUPLICATE_COLUMNS");
      expect(error.message).toBe(
        'The header names a column more than once: "title" (columns 1, 4); "start_date" (columns 2, 3); ' +
          "keep one of each and upload again",
      );
    });

    it("more rows than allowed", async () => {
      const text = "a\n1\n2\n\n3\n";
      await expect(readAll(utf8(text), { maxRows: 3 })).resolves.toMatchObject({ summary: { rowCount: 3 } });
      const error = await fileError(utf8(text), { maxRows: 2 });
      expect(error.code).toBe("TOO_MANY_ROWS");
      expect(error.message).toBe("The file has more than 2 rows; split it into smaller files");
    });
  });
});

describe("previewCsv", () => {
  it("returns the header and the first rows", async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i};Course ${i}`).join("\r\n");
    const preview = await previewCsv(utf8(`\ufeffNumber;Title\r\n${rows}`), 3);
    expect(preview).toEqual({
      headers: ["number", "title"],
      rawHeaders: ["Number", "Title"],
      encoding: "utf-8",
      delimiter: ";",
      rows: [
        ["0", "Course 0"],
        ["1", "Course 1"],
        ["2", "Course 2"],
      ],
      truncated: true,
    });
  });

  it("shows a short file whole", async () => {
    const preview = await previewCsv(utf8("a,b\n1,2\n"));
    expect(preview.rows).toEqual([["1", "2"]]);
    expect(preview.truncated).toBe(false);
  });

  it("reports file problems like readCsv", async () => {
    await expect(previewCsv(utf8("a,b\n"))).rejects.toMatchObject({ code: "NO_DATA_ROWS" });
  });
});
