import { randomFillSync } from "node:crypto";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const pool = new Uint8Array(4096);
let used = pool.length;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then random bits. Rows a bulk
 * operation creates together get neighbouring ids, so their primary-key entries land on the same few
 * index pages instead of all over a large index (which costs PostgreSQL a page write each).
 */
export function orderedId(): string {
  if (used + 10 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const r = pool.subarray(used, used + 10);
  used += 10;
  const time = Date.now();
  const high = Math.floor(time / 0x10000);
  const low = time % 0x10000;
  return (
    HEX[(high >>> 24) & 0xff] +
    HEX[(high >>> 16) & 0xff] +
    HEX[(high >>> 8) & 0xff] +
    HEX[high & 0xff] +
    "-" +
    HEX[(low >>> 8) & 0xff] +
    HEX[low & 0xff] +
    "-" +
    HEX[0x70 | (r[0] & 0x0f)] +
    HEX[r[1]] +
    "-" +
    HEX[0x80 | (r[2] & 0x3f)] +
    HEX[r[3]] +
    "-" +
    HEX[r[4]] +
    HEX[r[5]] +
    HEX[r[6]] +
    HEX[r[7]] +
    HEX[r[8]] +
    HEX[r[9]]
  );
}

/** A UUID in its text form, any version, either case: how ids are told from keys. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
