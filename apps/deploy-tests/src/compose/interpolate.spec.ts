import { interpolate, parseDotenv } from './interpolate';

describe('compose interpolation (the test helper that renders docker-compose.yml)', () => {
  const env = { DOMAIN: 'meet.example.org', EMPTY: '', PW: 'abc' };

  it('substitutes, defaults on unset or empty, and nests', () => {
    expect(interpolate('https://${DOMAIN}', env)).toBe('https://meet.example.org');
    expect(interpolate('$DOMAIN:443', env)).toBe('meet.example.org:443');
    expect(interpolate('${EMPTY:-x}|${EMPTY-x}|${UNSET-x}', env)).toBe('x||x');
    expect(interpolate('${URL:-mysql://meet:${PW:?need PW}@mysql/meet}', env)).toBe('mysql://meet:abc@mysql/meet');
    expect(interpolate('${DOMAIN:+yes}${EMPTY:+no}', env)).toBe('yes');
    expect(interpolate('MYSQL_PWD="$$MYSQL_PASSWORD"', env)).toBe('MYSQL_PWD="$MYSQL_PASSWORD"');
  });

  it('refuses a missing required variable with its message', () => {
    expect(() => interpolate('${TURN_SECRET:?set TURN_SECRET in .env}', env)).toThrow(/TURN_SECRET.*set TURN_SECRET in \.env/);
    expect(() => interpolate('${EMPTY:?must not be empty}', env)).toThrow(/EMPTY/);
  });

  it('reads KEY=value lines and skips comments', () => {
    const parsed = parseDotenv('# comment\nA=1\n\nB=\nC="two words" # note\n');
    expect([...parsed]).toEqual([
      ['A', '1'],
      ['B', ''],
      ['C', 'two words'],
    ]);
  });
});
