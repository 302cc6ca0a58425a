/**
 * Section 3: the web app's weight. The initial JavaScript (gzip) as
 * tools/report-bundle.mjs measures it after every build, and what a browser
 * with an empty cache actually fetches on the home page, on a meeting link
 * (the lobby) and once in the call: bytes on the wire as our server sends
 * them, and the same responses gzip-compressed, as a compressing reverse
 * proxy would send them.
 */
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import type { Browser, Request } from 'playwright-core';
import { createRoom } from '@mesh-meet/testing';

export const JS_BUDGET_KB = 150;

export interface PageWeight {
  page: string;
  requests: number;
  /** Headers and bodies as received. */
  transferredBytes: number;
  /** The same bodies gzip-compressed (level 6, what nginx does by default), plus headers. */
  gzipBytes: number;
  jsBytes: number;
  jsGzipBytes: number;
  /** Whether our server compressed anything itself (Content-Encoding). */
  compressed: boolean;
}

export interface WeightResult {
  initialJsGzipKb: number;
  initialJsRawKb: number;
  budgetKb: number;
  pages: PageWeight[];
}

/** Runs the build's own report and reads its closing line. */
function initialJavaScript(): { gzipKb: number; rawKb: number } {
  const run = spawnSync(process.execPath, ['tools/report-bundle.mjs'], { encoding: 'utf8' });
  const match = /initial JavaScript: ([\d.]+) KB gzip \(([\d.]+) KB raw\)/.exec(run.stdout ?? '');
  if (!match) throw new Error(`tools/report-bundle.mjs said:\n${run.stdout}${run.stderr}`);
  return { gzipKb: Number(match[1]), rawKb: Number(match[2]) };
}

class Tally {
  private readonly pending: Array<Promise<void>> = [];
  readonly weight: PageWeight;

  constructor(page: string) {
    this.weight = { page, requests: 0, transferredBytes: 0, gzipBytes: 0, jsBytes: 0, jsGzipBytes: 0, compressed: false };
  }

  add(request: Request): void {
    this.pending.push(
      (async () => {
        const response = await request.response();
        if (!response) return;
        const sizes = await request.sizes();
        const body = await response.body().catch(() => Buffer.alloc(0));
        const headers = sizes.responseHeadersSize;
        const gzip = body.length ? gzipSync(body, { level: 6 }).length : 0;
        const weight = this.weight;
        weight.requests += 1;
        weight.transferredBytes += headers + sizes.responseBodySize;
        weight.gzipBytes += headers + Math.min(gzip, body.length);
        if ((await response.headerValue('content-encoding')) !== null) weight.compressed = true;
        if (/javascript/.test((await response.headerValue('content-type')) ?? '')) {
          weight.jsBytes += sizes.responseBodySize;
          weight.jsGzipBytes += gzip;
        }
      })().catch(() => undefined),
    );
  }

  async done(): Promise<PageWeight> {
    await Promise.all(this.pending);
    return this.weight;
  }
}

export async function runWeightBench(browser: Browser, baseUrl: string): Promise<WeightResult> {
  const initial = initialJavaScript();
  const pages: PageWeight[] = [];
  const measure = async (label: string, url: string, joinToo: boolean) => {
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    try {
      const page = await context.newPage();
      const tally = new Tally(label);
      page.on('requestfinished', (request) => tally.add(request));
      await page.goto(url, { waitUntil: 'networkidle' });
      if (joinToo) {
        await page.getByTestId('display-name').fill('Weigher');
        await page.getByTestId('join').click();
        await page.getByTestId('local-video').waitFor({ state: 'attached', timeout: 30_000 });
        await page.waitForLoadState('networkidle');
      }
      pages.push(await tally.done());
    } finally {
      await context.close();
    }
  };
  await measure('home page', baseUrl, false);
  await measure('meeting link (lobby)', (await createRoom(baseUrl)).guestUrl, false);
  await measure('meeting link, then in the call', (await createRoom(baseUrl)).guestUrl, true);
  return { initialJsGzipKb: initial.gzipKb, initialJsRawKb: initial.rawKb, budgetKb: JS_BUDGET_KB, pages };
}
