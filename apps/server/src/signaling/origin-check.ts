import type { IncomingMessage } from 'node:http';

/**
 * Guards the WebSocket upgrade against other sites' pages (cross-site
 * WebSocket hijacking). Browsers always send Origin on a WebSocket; tools and
 * native clients send none and have no ambient credentials to abuse, so a
 * missing Origin is allowed.
 */
export function makeOriginCheck(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins.map((origin) => origin.toLowerCase()));
  return (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void): void => {
    const origin = request.headers.origin;
    if (origin === undefined || allowed.has(origin.toLowerCase())) callback(null, true);
    else callback('origin not allowed', false);
  };
}
