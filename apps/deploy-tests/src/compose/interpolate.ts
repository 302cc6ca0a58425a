/**
 * Compose-file variable interpolation as the Compose Specification defines
 * it (and `docker compose config` does it): $VAR, ${VAR}, ${VAR:-default},
 * ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt}, ${VAR+alt},
 * nested inside the operands, and $$ for a literal $. A missing required
 * variable throws, like compose refusing to start.
 */
export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char !== '$') {
      out += char;
      i += 1;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(text, i + 2);
      out += expand(text.slice(i + 2, end), env);
      i = end + 1;
    } else {
      const name = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(text.slice(i + 1))?.[0];
      if (name) {
        out += env[name] ?? '';
        i += 1 + name.length;
      } else {
        out += '$';
        i += 1;
      }
    }
  }
  return out;
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i += 1) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth += 1;
      i += 1;
    } else if (text[i] === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new Error(`unterminated \${ in ${JSON.stringify(text)}`);
}

function expand(expression: string, env: Readonly<Record<string, string | undefined>>): string {
  const match = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-?+])([\s\S]*))?$/.exec(expression);
  if (!match) throw new Error(`invalid interpolation \${${expression}}`);
  const [, name, operator, operand = ''] = match;
  const value = env[name];
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (operator) {
    case undefined:
      return value ?? '';
    case ':-':
      return nonEmpty ? value : interpolate(operand, env);
    case '-':
      return set ? value : interpolate(operand, env);
    case ':?':
    case '?':
      if (operator === ':?' ? nonEmpty : set) return value ?? '';
      throw new Error(`required variable ${name} is missing a value: ${interpolate(operand, env)}`);
    case ':+':
      return nonEmpty ? interpolate(operand, env) : '';
    case '+':
      return set ? interpolate(operand, env) : '';
    default:
      throw new Error(`invalid interpolation \${${expression}}`);
  }
}

/** Interpolates every string of a parsed compose document (values, not keys, as compose does). */
export function interpolateDocument<T>(document: T, env: Readonly<Record<string, string | undefined>>): T {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return interpolate(value, env);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item)]));
    }
    return value;
  };
  return walk(document) as T;
}

/** Reads a .env file the way compose does for plain KEY=value lines (comments and blanks skipped). */
export function parseDotenv(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) throw new Error(`not a KEY=value line: ${line}`);
    let value = match[2].replace(/\s+#.*$/, '').trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    entries.set(match[1], value);
  }
  return entries;
}
