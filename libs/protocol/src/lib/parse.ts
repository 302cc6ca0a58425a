import type { z } from 'zod';
import type { ProtocolError } from './error-codes';

export interface FieldProblem {
  path: string;
  message: string;
}

export type ParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: ProtocolError; fields: FieldProblem[] };

/**
 * Parses an untrusted payload. On failure returns an INVALID_PAYLOAD error whose
 * message names the fields at fault, never echoing their values back.
 */
export function parsePayload<S extends z.ZodType>(
  schema: S,
  input: unknown,
): ParseResult<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const fields = result.error.issues.slice(0, 10).map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(payload)',
    message: issue.message,
  }));
  const message = fields.map((field) => `${field.path}: ${field.message}`).join('; ');
  return { ok: false, error: { code: 'INVALID_PAYLOAD', message }, fields };
}
