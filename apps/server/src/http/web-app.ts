import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';

const SERVER_PATHS = /^\/(api|health|metrics|socket\.io|signaling)(\/|$)/;

/** Where the built Angular app is: WEB_DIR, or next to the server build. */
export function findWebDir(configured: string | undefined): string | undefined {
  const candidates = configured
    ? [resolve(configured)]
    : [resolve(__dirname, '../web/browser'), resolve('dist/apps/web/browser')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/**
 * Serves the web app from the same origin as the API: files as they are
 * (hashed bundles cached for a year), and index.html for every app route
 * such as /r/abc-defg-hij, so a link opened on a phone lands in the app.
 */
export function webApp(dir: string) {
  const files = express.static(dir, {
    index: false,
    setHeaders: (response, path) => {
      if (/\.[0-9a-z]{8,}\.(js|css)$/i.test(path) || /-[0-9A-Z]{8}\.(js|css)$/.test(path)) {
        response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      }
    },
  });
  const index = join(dir, 'index.html');
  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (SERVER_PATHS.test(request.path)) return next();
    files(request, response, () => {
      if (!request.accepts('html')) return next();
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(index);
    });
  };
}
