/** Chart export: an SVG element (styled with presentation attributes only) drawn onto a canvas and saved as PNG. */
export const downloadBlob = (blob: Blob, filename: string): void => {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

export const svgToPngBlob = async (svg: SVGSVGElement, scale = 2): Promise<Blob> => {
  const box = svg.viewBox.baseVal;
  const width = box && box.width ? box.width : svg.clientWidth;
  const height = box && box.height ? box.height : svg.clientHeight;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const text = new XMLSerializer().serializeToString(clone);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the chart could not be drawn'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no canvas');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
};

export const exportSvgAsPng = async (svg: SVGSVGElement | null, filename: string): Promise<void> => {
  if (!svg) return;
  downloadBlob(await svgToPngBlob(svg), filename);
};

/** A cell of a client-side CSV table: null/undefined → empty field. */
export type CsvCell = string | number | boolean | null | undefined;

const csvField = (value: CsvCell): string => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Guard against formula injection when the file is opened in a spreadsheet (as the server does).
  const safe = typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** RFC 4180 CSV text (CRLF line ends), the same conventions as the API's CSV downloads. */
export const toCsv = (columns: readonly string[], rows: readonly (readonly CsvCell[])[]): string =>
  [columns, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';

/** Saves a table built in the browser as a CSV download (suppressed counts should be passed as '[c]'). */
export const downloadCsv = (filename: string, columns: readonly string[], rows: readonly (readonly CsvCell[])[]): void =>
  downloadBlob(new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }), filename);

/** A safe file-name fragment. */
export const fileSlug = (text: string): string => text.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase();
