import type { ReportAttendance } from '@mesh-meet/protocol';

const COLUMNS = ['name', 'role', 'joinedAt', 'leftAt', 'durationSeconds', 'leftReason'] as const;

/**
 * Attendance as CSV (RFC 4180: comma-separated, CRLF, fields quoted where
 * needed, quotes doubled). Names are typed by guests, so a name a spreadsheet
 * would run as a formula (starting with = + - @ or a tab) gets a leading
 * apostrophe, as OWASP's CSV-injection advice says.
 */
export function attendanceCsv(rows: readonly ReportAttendance[]): string {
  const lines = [COLUMNS.join(',')];
  for (const row of rows) lines.push(COLUMNS.map((column) => csvField(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
