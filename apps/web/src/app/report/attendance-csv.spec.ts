import type { ReportAttendance } from '@mesh-meet/protocol';
import { attendanceCsv } from './attendance-csv';

const row = (overrides: Partial<ReportAttendance>): ReportAttendance => ({
  participationId: 'p1',
  peerId: 'AAAAAAAAAAAAAAAA',
  userId: 'u1',
  name: 'Hana',
  role: 'host',
  joinedAt: '2026-11-29T14:00:05.000Z',
  leftAt: '2026-11-29T14:20:05.000Z',
  leftReason: 'left',
  durationSeconds: 1200,
  ...overrides,
});

describe('attendanceCsv', () => {
  it('has a header and one CRLF line per participation, in order', () => {
    const csv = attendanceCsv([row({}), row({ name: 'Kumi', role: 'guest', leftAt: null, leftReason: null, durationSeconds: 30 })]);
    expect(csv).toBe(
      'name,role,joinedAt,leftAt,durationSeconds,leftReason\r\n' +
        'Hana,host,2026-11-29T14:00:05.000Z,2026-11-29T14:20:05.000Z,1200,left\r\n' +
        'Kumi,guest,2026-11-29T14:00:05.000Z,,30,\r\n',
    );
  });

  it('quotes commas, quotes and line breaks in names', () => {
    const csv = attendanceCsv([row({ name: 'Sato, "Ken"\nJr' })]);
    expect(csv.split('\r\n')[1]).toMatch(/^"Sato, ""Ken""\nJr",host,/);
  });

  it('defuses names a spreadsheet would run as formulas', () => {
    const csv = attendanceCsv([row({ name: '=HYPERLINK("http://x")' }), row({ name: '@SUM(1)' }), row({ name: '-2+3' })]);
    const names = csv.split('\r\n').slice(1, 4).map((line) => line.split(',')[0]);
    expect(names).toEqual([`"'=HYPERLINK(""http://x"")"`, "'@SUM(1)", "'-2+3"]);
  });
});
