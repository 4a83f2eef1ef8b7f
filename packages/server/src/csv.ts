/** CSV for table exports (RFC 4180: CRLF line ends, fields quoted when needed). Null → empty field. */
export type CsvCell = string | number | boolean | null | undefined;

const field = (value: CsvCell): string => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Guard against formula injection when the file is opened in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const toCsv = (columns: readonly string[], rows: readonly (readonly CsvCell[])[]): string =>
  [columns, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';

/** Rows of objects, columns in the given order. */
export const objectsToCsv = <T extends Record<string, CsvCell>>(columns: readonly (keyof T & string)[], rows: readonly T[]): string =>
  toCsv(
    columns,
    rows.map((r) => columns.map((c) => r[c])),
  );

type TextReply = { type(t: string): unknown; header(k: string, v: string): unknown };

/** Sends text as a file (bypasses the JSON serializer: the payload is already text); `disposition` attachment downloads it. */
export const sendText = (reply: TextReply, contentType: string, disposition: 'attachment' | 'inline', filename: string, text: string): void => {
  reply.type(contentType);
  reply.header('content-disposition', `${disposition}; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '-')}"`);
  return replied((reply as unknown as { send(payload: string): unknown }).send(text));
};

/** Sends CSV text as a download. */
export const sendCsv = (reply: TextReply, filename: string, text: string): void => sendText(reply, 'text/csv; charset=utf-8', 'attachment', filename, text);

/**
 * What an async handler returns after calling reply.send() itself: the reply object (typed as void
 * for the type provider). Returning undefined instead lets Fastify race a streamed (compressed)
 * payload and send an empty body.
 */
export const replied = (reply: unknown): void => reply as void;

/** Suppressed counts are written as [c] (the ONS marker for confidential) in CSV files. */
export const csvCount = (n: number | null): string | number => (n === null ? '[c]' : n);

/** A figure in a CSV cell: blank when there is none. */
export const csvNumber = (v: number | null | undefined): string | number => (v === null || v === undefined ? '' : v);

/** A count of a row that may be suppressed: [c] when withheld, blank when there is none. */
export const csvWithheld = (suppressed: boolean, n: number | null | undefined): string | number => (suppressed && n === null ? '[c]' : csvNumber(n));
