import type { NextFunction, Request, Response } from 'express';
import type { AppConfig } from '../config/config';

/** HSTS for a year; not includeSubDomains: other hosts of the domain may not speak https. */
const HSTS = 'max-age=31536000';

/**
 * The Content-Security-Policy the built web app runs under.
 * - script-src 'self': Angular's build emits only external module scripts
 *   (critical-CSS inlining, which adds an inline `onload`, is off in apps/web's
 *   production build).
 * - style-src 'unsafe-inline': Angular inserts each component's styles as a
 *   <style> element at run time; a nonce would mean rewriting index.html per
 *   request. Styles cannot run code, so this is the one relaxation.
 * - img-src data: for the QR code (a data: URL); media-src blob:/mediastream:
 *   for camera and remote streams in <video>.
 * - connect-src: the API and the signaling WebSocket on PUBLIC_URL's origin
 *   ('self' covers ws: on the same origin only in newer browsers).
 */
export function contentSecurityPolicy(config: Pick<AppConfig, 'publicUrl' | 'frameAncestors'>): string {
  const publicUrl = new URL(config.publicUrl);
  const socketOrigin = `${publicUrl.protocol === 'https:' ? 'wss:' : 'ws:'}//${publicUrl.host}`;
  const frameAncestors = config.frameAncestors.length > 0 ? config.frameAncestors.join(' ') : "'none'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "media-src 'self' blob: mediastream:",
    `connect-src 'self' ${socketOrigin}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/**
 * Headers on every HTTP response (app, API, static files, errors): the CSP
 * above, no MIME sniffing, no Referer (the host link carries the host key),
 * camera, microphone and screen capture for this origin only, and HSTS when
 * PUBLIC_URL is https.
 */
export function securityHeaders(config: Pick<AppConfig, 'publicUrl' | 'frameAncestors'>) {
  const headers: Record<string, string> = {
    'Content-Security-Policy': contentSecurityPolicy(config),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...(config.publicUrl.startsWith('https:') ? { 'Strict-Transport-Security': HSTS } : {}),
  };
  const entries = Object.entries(headers);
  return (_request: Request, response: Response, next: NextFunction): void => {
    for (const [name, value] of entries) response.setHeader(name, value);
    next();
  };
}
