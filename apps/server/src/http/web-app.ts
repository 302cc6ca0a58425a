import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { type ContentEncoding, CompressedFiles, isCompressible } from './compressed-files';

const SERVER_PATHS = /^\/(api|health|metrics|socket\.io|signaling)(\/|$)/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Where the built Angular app is: WEB_DIR, or next to the server build. */
export function findWebDir(configured: string | undefined): string | undefined {
  const candidates = configured
    ? [resolve(configured)]
    : [resolve(__dirname, '../web/browser'), resolve('dist/apps/web/browser')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/** Angular's hashed bundles never change under their name: browsers may keep them for a year. */
function isHashed(path: string): boolean {
  return /\.[0-9a-z]{8,}\.(js|css)$/i.test(path) || /-[0-9A-Z]{8}\.(js|css)$/.test(path);
}

/** br when the browser takes it (smaller), else gzip; browsers list gzip first, so their order is not a preference. */
function preferredEncoding(request: Request): ContentEncoding | undefined {
  if (request.acceptsEncodings('br') === 'br') return 'br';
  if (request.acceptsEncodings('gzip') === 'gzip') return 'gzip';
  return undefined;
}

/** The file under `root` that a URL path names, or undefined (outside root, dotfile, malformed). */
function fileIn(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.split('/').some((segment) => segment.startsWith('.'))) return undefined;
  const file = resolve(root, `.${decoded}`);
  return file.startsWith(root + sep) ? file : undefined;
}

/**
 * Serves the web app from the same origin as the API: text files compressed
 * (brotli or gzip, as the browser accepts), hashed bundles cached for a
 * year, and index.html for every app route such as /r/abc-defg-hij, so a
 * link opened on a phone lands in the app. Compression here matters when no
 * proxy in front compresses (`npm start`): a meeting link is 0.8 MB
 * uncompressed and about 0.2 MB compressed.
 */
export function webApp(dir: string, compressed = new CompressedFiles()) {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  const files = express.static(root, {
    index: false,
    setHeaders: (response, path) => {
      if (isHashed(path)) response.setHeader('Cache-Control', IMMUTABLE);
      if (isCompressible(path)) response.vary('Accept-Encoding');
    },
  });
  // In the background: the first visitor should not wait for brotli.
  compressed.warm(root, stat).catch(() => undefined);

  /** Sends `file` compressed if the browser accepts it and it is worth it; false when it did not. */
  async function sendCompressed(request: Request, response: Response, file: string | undefined, cacheControl?: string): Promise<boolean> {
    if (!file || !isCompressible(file)) return false;
    const encoding = preferredEncoding(request);
    if (!encoding) return false;
    const stats = await stat(file).catch(() => undefined);
    if (!stats?.isFile()) return false;
    const body = await compressed.get(file, stats, encoding);
    if (!body) return false;
    response.type(extname(file));
    response.vary('Accept-Encoding');
    response.setHeader('Content-Encoding', encoding);
    response.setHeader('Cache-Control', cacheControl ?? (isHashed(file) ? IMMUTABLE : 'public, max-age=0'));
    response.setHeader('Last-Modified', stats.mtime.toUTCString());
    response.setHeader('ETag', `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}-${encoding}"`);
    if (request.fresh) {
      response.status(304).end();
      return true;
    }
    response.setHeader('Content-Length', body.length);
    response.end(request.method === 'HEAD' ? undefined : body);
    return true;
  }

  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (SERVER_PATHS.test(request.path)) return next();
    sendCompressed(request, response, fileIn(root, request.path)).then((sent) => {
      if (sent) return;
      files(request, response, () => {
        if (!request.accepts('html')) return next();
        sendCompressed(request, response, index, 'no-cache').then((sentIndex) => {
          if (sentIndex) return;
          response.setHeader('Cache-Control', 'no-cache');
          response.sendFile(index);
        }, next);
      });
    }, next);
  };
}
