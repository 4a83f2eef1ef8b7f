/**
 * `phm stats proportion|rate` on a plain numeric CSV, at byte level: the common case of the per-row
 * methods without commander, the CSV parser, row objects or strings per row (100,000 rows in about
 * 0.05 s of CPU beyond loading, where the general command takes about 0.25 s; docs/benchmarks.md).
 *
 * It takes a run only when it can give exactly what the general command (`commands/stats.ts`) gives,
 * byte for byte: the options are plain (`plainStatsArgs` in stats-cli.ts); the file is UTF-8 with LF
 * or CRLF line ends, no quote and no other CR anywhere, every row with as many cells as the header
 * and under 64 KB, the two input cells whole numbers of up to 15 digits that the method accepts (a
 * proportion's numerator not above its denominator, a denominator above 0), group cells with nothing
 * to trim, and the header's group columns not named as an output column. Anything else — a quoted
 * field, a blank or invalid cell, a short row, a file that cannot be read, an unforeseen fault — and
 * the fast path gives the run up before writing anything where `--out` or standard output would see
 * it (its work file is removed) and the general command runs from the start: the same parser, the
 * same per-group reasons and the same errors naming file, row and field.
 *
 * The limits are worked out by core's own formulas (`wilsonLimitAt`, `byarsLowerAt`, `byarsUpperAt`:
 * the arithmetic of `wilsonLower`, `byarsLower`, … without their checks, z worked out once per level;
 * a rate's limits once per count) and numbers are written by `writeRounded`, the bytes of
 * `formatRounded`'s text.
 */
import { closeSync, createReadStream, fstatSync, mkdtempSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { BYARS_MINIMUM_COUNT, byarsLowerAt, byarsUpperAt, exactPoissonLower, exactPoissonUpper, wilsonLimitAt, zScore } from '@openphm/core/stats/intervals';
import { formatRounded } from './commands/number-format.js';
import type { CliIo } from './io.js';

/** The output names of the limits, as the general command's (`lower_95`, `upper_99_8`, …). */
const levelLabel = (c: number): string => String(Math.round(c * 1000) / 10).replace('.', '_');

/** A run the fast path may take: the method and its plain options, as commander would give them. */
export interface PlainStatsArgs {
  readonly method: 'proportion' | 'rate';
  readonly input: string;
  readonly out?: string;
  readonly confidence: readonly number[];
  readonly multiplier: number;
}

// ---------------------------------------------------------------------------------------------
// Numbers as bytes.

/** "00" to "99": two digits at a time. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i += 1) {
  PAIRS[2 * i] = 48 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** "0000" to "9999" as the four bytes of a little-endian 32-bit word: four digits at a time. */
const QUADS = ((): Uint32Array => {
  const quads = new Uint32Array(10000);
  for (let h = 0; h < 100; h += 1) {
    const high = PAIRS[2 * h]! | (PAIRS[2 * h + 1]! << 8);
    for (let l = 0; l < 100; l += 1) quads[100 * h + l] = (high | (PAIRS[2 * l]! << 16) | (PAIRS[2 * l + 1]! << 24)) >>> 0;
  }
  return quads;
})();

/** Writes 0 ≤ v < 2^31 as exactly `digits` digits (leading zeros); returns the position after them. */
const writeDigits = (out: Uint8Array, pos: number, v: number, digits: number): number => {
  let p = pos + digits;
  while (p - pos >= 2) {
    const q = (v / 100) | 0;
    const pair = (v - q * 100) << 1;
    out[--p] = PAIRS[pair + 1]!;
    out[--p] = PAIRS[pair]!;
    v = q;
  }
  if (p > pos) out[pos] = 48 + v;
  return pos + digits;
};

/** The number of decimal digits of 0 ≤ v < 2^31. */
const digitCount = (v: number): number =>
  v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;

/** Writes 0 ≤ v < 2^31 in decimal; returns the position after it. */
const writeInt = (out: Uint8Array, pos: number, v: number): number => {
  if (v < 10) {
    out[pos] = 48 + v;
    return pos + 1;
  }
  if (v < 100) {
    out[pos] = PAIRS[v << 1]!;
    out[pos + 1] = PAIRS[(v << 1) + 1]!;
    return pos + 2;
  }
  return writeDigits(out, pos, v, digitCount(v));
};

/** Writes a whole number 0 ≤ v < 2^53 in decimal; returns the position after it. */
const writeWhole = (out: Uint8Array, pos: number, v: number): number => {
  if (v < 2147483648) return writeInt(out, pos, v | 0);
  const high = Math.floor(v / 1e9);
  return writeDigits(out, writeWhole(out, pos, high), (v - high * 1e9) | 0, 9);
};

/**
 * Writes the whole number v whose digits start at buf[start]: those digits, unless they have a
 * leading zero (then v written). The test reads the second byte first: it is a digit in most
 * numbers, so V8 has seen every comparison before a 0 or a leading zero comes.
 */
const copyWhole = (buf: Uint8Array, start: number, out: Uint8Array, pos: number, v: number): number => {
  const second = buf[start + 1]!;
  if (second >= 48 && second <= 57 && buf[start] === 48) return writeWhole(out, pos, v);
  for (let p = start; ; p += 1) {
    const b = buf[p]!;
    if (b < 48 || b > 57) return pos;
    out[pos++] = b;
  }
};

/** Writes an ASCII string; returns the position after it. */
const writeAscii = (out: Uint8Array, pos: number, text: string): number => {
  for (let i = 0; i < text.length; i += 1) out[pos++] = text.charCodeAt(i);
  return pos;
};

/**
 * The bytes of `formatRounded(v)` (the value rounded to 8 decimal places, as `String` writes it).
 * Rounded values of 1e-6 up to 1e7 are written here from the whole number Math.round(v × 1e8), as
 * `formatRounded` does (a whole v in that range is v × 1e8 exactly, written as itself), and any value
 * that rounds to 0 as `0`; every other value (negative, below 1e-6, from 1e7, NaN or infinite) by
 * `formatRounded` itself. Returns the position after it.
 */
export const writeRounded = (out: Uint8Array, pos: number, v: number): number => {
  one[0] = v;
  return writeRoundedAt(out, new DataView(out.buffer, out.byteOffset, out.byteLength), pos, one, 0);
};
const one = new Float64Array(1);

/** `writeRounded` of values[i] (read here: a double passed as an argument can cost an allocation). */
const writeRoundedAt = (out: Uint8Array, view: DataView, pos: number, values: Float64Array, i: number): number => {
  const v = values[i]!;
  const r = Math.round(v * 1e8);
  // 0 (any value that rounds to 0, as formatRounded writes it: a lower limit of 0 events, for one)
  // goes the usual way below and comes out as "0"; `r === 0` is tested first so that V8 has seen it.
  if (!((r === 0 || r >= 100) && r < 1e15)) return writeAscii(out, pos, formatRounded(v));
  let whole = Math.floor(r / 1e8);
  let fraction = r - whole * 1e8;
  if (fraction < 0) {
    whole -= 1;
    fraction += 1e8;
  }
  pos = writeInt(out, pos, whole | 0);
  const f = fraction | 0;
  if (f === 0) return pos;
  // The 8 decimal places four at a time, then without their trailing zeros (f is not 0: a digit stops it).
  out[pos] = 46;
  const high = (f / 10000) | 0;
  view.setUint32(pos + 1, QUADS[high]!, true);
  view.setUint32(pos + 5, QUADS[f - high * 10000]!, true);
  let end = pos + 9;
  while (out[end - 1] === 48) end -= 1;
  return end;
};

/** Writes `,` and the text of each of the values. */
const writeValues = (out: Uint8Array, view: DataView, pos: number, values: Float64Array): number => {
  for (let i = 0; i < values.length; i += 1) {
    out[pos++] = 44;
    pos = writeRoundedAt(out, view, pos, values, i);
  }
  return pos;
};

// ---------------------------------------------------------------------------------------------
// The methods: one valid row's cells after the group's, or false for a row the general command must see.

/** After `numerator,denominator` or `count,denominator`, writes `,value,limits…,` or `,value,limits…,method,` (the reason is blank). */
type RowWriter = (out: Uint8Array, pos: number, x: number, n: number) => number;

const methodColumns = (args: PlainStatsArgs): string[] => {
  const limits = args.confidence.flatMap((c) => [`lower_${levelLabel(c)}`, `upper_${levelLabel(c)}`]);
  return args.method === 'proportion' ? ['numerator', 'denominator', 'value', ...limits] : ['count', 'denominator', 'value', ...limits, 'method'];
};

const EXACT = Buffer.from('exact,');
const BYARS = Buffer.from('byars,');

/** Rates: the Poisson limits of counts below this are kept once worked out (a table of 2 × levels × this doubles). */
const LIMITS_KEPT = 1 << 14;

/** -1 from a row writer: the row is not one the fast path writes. */
const NOT_MINE = -1;

const rowWriter = (args: PlainStatsArgs, out: Uint8Array): RowWriter => {
  // `out` written through a DataView too, four digits at a time.
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const levels = args.confidence;
  const m = args.multiplier;
  const k = levels.length;
  const zs = Float64Array.from(levels, (c) => zScore(c));
  // The row's value and limits, written together (kept as doubles: no number objects per row).
  const values = new Float64Array(1 + 2 * k);
  if (args.method === 'proportion') {
    // As proportion(): a denominator above 0, the numerator not above it.
    return (out, pos, x, n) => {
      if (!(n > 0 && x <= n)) return NOT_MINE;
      values[0] = (x / n) * m;
      for (let i = 0; i < k; i += 1) {
        const z = zs[i]!;
        values[2 * i + 1] = wilsonLimitAt(x, n, z, -1) * m;
        values[2 * i + 2] = wilsonLimitAt(x, n, z, 1) * m;
      }
      pos = writeValues(out, view, pos, values);
      out[pos++] = 44;
      return pos;
    };
  }
  // As crudeRate(): a denominator above 0; the count's limits by poissonLimits, the same for every row
  // with that count: worked out once per count below LIMITS_KEPT (exact below 10 events, Byar's from
  // 10; Byar's cube is the costly step), each count's lower and upper per level in `limits`.
  const limits = new Float64Array(LIMITS_KEPT * 2 * k).fill(Number.NaN);
  const limitsOf = (x: number, i: number, at: number): void => {
    const c = levels[i]!;
    limits[at] = x < BYARS_MINIMUM_COUNT ? exactPoissonLower(x, c) : byarsLowerAt(x, zs[i]!);
    limits[at + 1] = x < BYARS_MINIMUM_COUNT ? exactPoissonUpper(x, c) : byarsUpperAt(x, zs[i]!);
  };
  return (out, pos, x, n) => {
    if (!(n > 0)) return NOT_MINE;
    values[0] = (x / n) * m;
    const kept = x < LIMITS_KEPT;
    for (let i = 0; i < k; i += 1) {
      let lower: number;
      let upper: number;
      if (kept) {
        const at = 2 * (x * k + i);
        if (Number.isNaN(limits[at]!)) limitsOf(x, i, at);
        lower = limits[at]!;
        upper = limits[at + 1]!;
      } else {
        lower = byarsLowerAt(x, zs[i]!);
        upper = byarsUpperAt(x, zs[i]!);
      }
      values[2 * i + 1] = (lower / n) * m;
      values[2 * i + 2] = (upper / n) * m;
    }
    pos = writeValues(out, view, pos, values);
    out[pos++] = 44;
    out.set(x < BYARS_MINIMUM_COUNT ? EXACT : BYARS, pos);
    return pos + 6;
  };
};

// ---------------------------------------------------------------------------------------------
// The file.

/** Thrown inside the fast path when the run is the general command's; never seen outside it. */
class NotPlain extends Error {}
const notPlain = (): never => {
  throw new NotPlain();
};

/** The file is read in pieces of up to this many bytes (a file of up to this size in one piece). */
const CHUNK = 1 << 23;
/** Output is written in pieces of about this many bytes. */
const OUT_PIECE = 1 << 21;
/** Longest line the fast path takes (a longer one is the general command's). */
const LINE_CAP = 1 << 16;
/** Room per output number (the longest `formatRounded` text is 24 characters). */
const NUMBER_ROOM = 26;

interface Layout {
  /** Output header line. */
  readonly header: Buffer;
  readonly cells: number;
  /** Per cell: 0 a group cell, 1 the first input (numerator or count), 2 the denominator. */
  readonly roles: Uint8Array;
}

/** The header line as the general command reads it, or NotPlain when its output would not be the fast path's. */
const layoutOf = (line: Buffer, args: PlainStatsArgs): Layout => {
  // A CR only as the end of a CRLF line end.
  const text = line.toString('utf8').replace(/\r$/, '');
  if (text.includes('\r')) notPlain();
  const header = text.split(',').map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  const first = lower.indexOf(args.method === 'proportion' ? 'numerator' : 'count');
  const second = lower.indexOf('denominator');
  if (first < 0 || second < 0) notPlain();
  const roles = new Uint8Array(header.length);
  roles[first] = 1;
  roles[second] = 2;
  const groups = header.filter((_, i) => roles[i] === 0);
  const columns = [...groups, ...methodColumns(args), 'reason'];
  // A group column named as an output column (or twice) would be merged by the general command.
  if (new Set(columns).size !== columns.length) notPlain();
  return { header: Buffer.from(`${columns.join(',')}\n`), cells: header.length, roles };
};

/** Whether a group cell (written at out[start, end)) is as `trim` leaves it. */
const untrimmed = (bytes: Uint8Array, start: number, end: number): boolean => {
  if (start === end) return true;
  const a = bytes[start]!;
  const b = bytes[end - 1]!;
  if (a > 32 && a < 128 && b > 32 && b < 128) return true;
  if (a <= 32 || b <= 32) return false;
  const cell = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
  return cell.trim() === cell;
};

/** Writes all of `buf[0, end)` to `fd`. */
const writeAll = (fd: number, buf: Uint8Array, end: number): void => {
  let done = 0;
  while (done < end) done += writeSync(fd, buf, done, end - done);
};

/** The rows of a file into an output buffer and on to a file: `rows` the hot loop, `flush` and `count` after it. */
interface RowsOut {
  /** Writes the lines of buf[pos, end), the output in pieces of about `piece` bytes. */
  readonly rows: (buf: Uint8Array, pos: number, end: number) => void;
  /** Writes the output still held. */
  readonly flush: () => void;
  /** The rows written. */
  readonly count: () => number;
}

/**
 * The rows of a file, line by line, into `out` (after `header`) and on to `fd`. Each line is read
 * once, byte by byte: group cells copied to the output as they are read, the two input cells parsed
 * as whole numbers, then the method's cells written after the group's. The loop is shaped for V8,
 * which optimises it while it runs (on-stack replacement) and throws the optimised code away when it
 * meets code not yet run: the output is written from inside the loop, first after 4 KB (so that
 * writing has run before the loop is optimised), then in pieces of `piece` bytes; the loop runs to
 * the end of the piece of file read (a file of up to 8 MB is one piece, one call, one compilation);
 * its state is kept in this closure's variables on every row, not read from properties on entry
 * (which V8 has not seen by the time it optimises) nor stored only after the loop.
 */
const rowsOut = (roles: Uint8Array, write: RowWriter, out: Uint8Array, header: Buffer, fd: number, piece: number): RowsOut => {
  const last = roles.length - 1;
  out.set(header, 0);
  let held = header.length;
  let written = 0;
  // The first piece written is small, so that writing has been run before V8 optimises the loop.
  let limit = Math.min(piece, 1 << 12);
  const rows = (buf: Uint8Array, pos: number, end: number): void => {
    let o = held;
    let count = written;
    while (pos < end) {
      if (o >= limit) {
        writeAll(fd, out, o);
        o = 0;
        limit = piece;
      }
      const lineStart = pos;
      let x = 0;
      let n = 0;
      let xStart = 0;
      let nStart = 0;
      for (let cell = 0; ; cell += 1) {
        let b: number;
        if (roles[cell] === 0) {
          // A group cell, copied as it is read.
          const start = o;
          for (b = buf[pos++]!; b !== 44 && b !== 10 && b !== 13; b = buf[pos++]!) out[o++] = b;
          if (o > start && !(out[start]! > 32 && out[start]! < 128 && out[o - 1]! > 32 && out[o - 1]! < 128) && !untrimmed(out, start, o)) notPlain();
          out[o++] = 44;
        } else {
          // An input cell: a whole number of 1 to 15 digits (exact as a double).
          const start = pos;
          let v = 0;
          let digit: number;
          for (b = buf[pos++]!, digit = b - 48; digit >= 0 && digit <= 9; b = buf[pos++]!, digit = b - 48) v = v * 10 + digit;
          const digits = pos - 1 - start;
          if ((b !== 44 && b !== 10 && b !== 13) || digits === 0 || digits > 15) notPlain();
          if (roles[cell] === 1) {
            x = v;
            xStart = start;
          } else {
            n = v;
            nStart = start;
          }
        }
        if (b === 13) {
          // CRLF ends a line as LF does (a CR alone ends one for the general reader: given back).
          if (buf[pos] !== 10) notPlain();
          pos += 1;
          b = 10;
        }
        if (b === 10) {
          if (cell !== last) notPlain();
          break;
        }
        if (cell === last) notPlain();
      }
      // A longer line may have run past the output's end (a typed array drops such writes): given back.
      if (pos - lineStart > LINE_CAP) notPlain();
      // The two inputs as the general command writes them (String of the number): their digits, unless a leading zero.
      o = copyWhole(buf, xStart, out, o, x);
      out[o++] = 44;
      o = copyWhole(buf, nStart, out, o, n);
      o = write(out, o, x, n);
      if (o < 0) notPlain();
      out[o++] = 10;
      count += 1;
      held = o;
      written = count;
    }
  };
  const flush = (): void => {
    writeAll(fd, out, held);
    held = 0;
  };
  return { rows, flush, count: () => written };
};

/** The sizes of the pieces the file is read in and the output written in. */
interface Pieces {
  readonly chunk: number;
  readonly piece: number;
}

/**
 * Reads the file at `path` and writes the method's output to `fd`; NotPlain thrown when the run is
 * not the fast path's.
 */
const convert = (path: string, fd: number, args: PlainStatsArgs, { chunk, piece }: Pieces): void => {
  const input = openSync(path, 'r');
  try {
    // The file in one piece when it fits (at least 64 KB at a time: a pipe has no size); one byte
    // spare at the end: a last line without a line break is given one.
    let buf = Buffer.allocUnsafe(Math.min(chunk, Math.max(fstatSync(input).size, 1 << 16)) + 1);
    let have = 0;
    let eof = false;
    let rows: RowsOut | undefined;
    const perRow = 3 * NUMBER_ROOM + 2 * NUMBER_ROOM * args.confidence.length + 16;
    const out = Buffer.allocUnsafe(piece + LINE_CAP + perRow);
    while (!eof) {
      if (have === buf.length - 1) {
        // A line longer than the buffer (or a file that grew): a buffer twice as long.
        const bigger = Buffer.allocUnsafe(2 * buf.length);
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const read = readSync(input, buf, have, buf.length - 1 - have, null);
      if (read === 0) {
        eof = true;
        if (have > 0 && buf[have - 1] !== 10) buf[have++] = 10;
      }
      have += read;
      // The complete lines in the buffer: each ends with a line break.
      const end = have === 0 ? 0 : buf.lastIndexOf(10, have - 1) + 1;
      if (end === 0) continue;
      const span = buf.subarray(0, end);
      if (span.indexOf(34) >= 0 || !isUtf8(span)) notPlain();
      let pos = 0;
      if (rows === undefined) {
        // A UTF-8 byte-order mark is skipped, as the general command's reader does.
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
        const stop = buf.indexOf(10, pos);
        const layout = layoutOf(buf.subarray(pos, stop), args);
        if (layout.header.length > piece) notPlain();
        rows = rowsOut(layout.roles, rowWriter(args, out), out, layout.header, fd, piece);
        pos = stop + 1;
      }
      rows.rows(buf, pos, end);
      // The rest of the buffer (an incomplete line) moves to its start.
      buf.copy(buf, 0, end, have);
      have -= end;
    }
    if (rows === undefined || rows.count() === 0) throw new NotPlain();
    rows.flush();
  } finally {
    closeSync(input);
  }
};

/**
 * Runs `phm stats proportion|rate` by the fast path: true when the output is written (exit 0), false
 * when the run is the general command's (nothing written, nothing left behind). The file is read
 * up to `chunk` bytes at a time and the output written about `piece` bytes at a time (tests give
 * small pieces, to cut lines everywhere).
 */
export const runPlainStats = async (args: PlainStatsArgs, io: CliIo, pieces: Pieces = { chunk: CHUNK, piece: OUT_PIECE }): Promise<boolean> => {
  const path = resolve(io.cwd, args.input);
  const target = args.out === undefined ? undefined : resolve(io.cwd, args.out);
  let work: string | undefined;
  const removeWork = (): void => {
    if (work !== undefined) rmSync(target === undefined ? dirname(work) : work, { recursive: true, force: true });
  };
  let fd: number | undefined;
  try {
    // As the general command: a work file next to --out (or in the temporary folder for standard output).
    work = target === undefined ? join(mkdtempSync(join(tmpdir(), 'phm-stats-')), 'out') : `${target}.tmp-${process.pid}`;
    fd = openSync(work, 'w', 0o600);
    convert(path, fd, args, pieces);
    closeSync(fd);
    fd = undefined;
    if (target !== undefined) renameSync(work, target);
  } catch {
    if (fd !== undefined) closeSync(fd);
    removeWork();
    // Not plain, or a file that cannot be read or written (or anything unforeseen): nothing has been
    // written where it would be seen, and the general command runs, with its output and its errors.
    return false;
  }
  if (target !== undefined) return true;
  try {
    for await (const piece of createReadStream(work, { encoding: 'utf8', highWaterMark: 1 << 18 })) io.stdout.write(piece as string);
  } finally {
    removeWork();
  }
  return true;
};
