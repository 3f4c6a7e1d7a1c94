// CSV for spreadsheets (RFC 4180): fields quoted when they hold a quote, comma or line break, quotes doubled,
// CRLF between records. Cells a spreadsheet would read as a formula get a leading apostrophe (CSV injection, OWASP).

/** Starts a spreadsheet evaluates: = + - @, and tab / carriage return, which some strip before looking. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: guarded against formulas, then quoted if needed. */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole document: the header row, then one record per row, each ended by CRLF. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}
