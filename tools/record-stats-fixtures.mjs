// `node tools/record-stats-fixtures.mjs`: records the getStats() fixtures of
// apps/web/src/app/call/quality/fixtures/ from real browsers, so the quality
// reduction's specs run against what Chromium and Firefox really report.
//
// In one page of each browser two RTCPeerConnections call each other over the
// loopback (fake camera and microphone, both sides sending audio and video, the
// remote video playing in a <video>), the way the app's PeerSession sets them up:
// one sendrecv audio and one sendrecv video transceiver. After the call has run
// a few seconds, two getStats() reports of the first connection are taken 2 s
// apart (the sampler's interval). Cases:
//   chromium-direct    host candidates, nothing limited
//   chromium-relay     iceTransportPolicy 'relay' through a local coturn (UDP)
//   chromium-limited   the sender capped at 60 kbit/s: qualityLimitationReason 'bandwidth'
//   firefox-direct     Firefox ESR over WebDriver BiDi
// Addresses are replaced before anything is written (candidates get documentation
// addresses, 192.0.2.x / 2001:db8::), certificates are dropped: nothing of this
// machine's network is kept. Needs /usr/bin/chromium, /usr/bin/firefox-esr and
// /usr/bin/turnserver (a case whose browser or relay is missing is skipped, loudly).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const OUT = 'apps/web/src/app/call/quality/fixtures';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const TURNSERVER = '/usr/bin/turnserver';
// The same fake devices as libs/testing (CHROMIUM_ARGS, FIREFOX_PREFS); a plain script cannot import its TypeScript.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];
const FIREFOX_PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // Two connections in one page on one machine: let ICE use the loopback.
  'media.peerconnection.ice.loopback': true,
};

/** Runs in the page: a call between two local connections; returns two reports of the first, 2 s apart. */
async function recordInPage({ iceServers, policy, maxBitrate, warmupMs }) {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
  const config = { iceServers, iceTransportPolicy: policy };
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  a.onicecandidate = ({ candidate }) => candidate && b.addIceCandidate(candidate);
  b.onicecandidate = ({ candidate }) => candidate && a.addIceCandidate(candidate);
  const video = document.createElement('video');
  video.autoplay = true;
  video.muted = true;
  video.playsInline = true;
  document.body.append(video);
  const remote = new MediaStream();
  a.ontrack = ({ track }) => {
    remote.addTrack(track);
    video.srcObject = remote;
  };
  for (const track of media.getTracks()) a.addTransceiver(track, { direction: 'sendrecv' });
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription);
  for (const transceiver of b.getTransceivers()) {
    transceiver.direction = 'sendrecv';
    await transceiver.sender.replaceTrack(media.getTracks().find((t) => t.kind === transceiver.receiver.track.kind).clone());
  }
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription);
  const deadline = Date.now() + 20_000;
  while (a.connectionState !== 'connected') {
    if (Date.now() > deadline) throw new Error(`not connected: ${a.connectionState}/${a.iceConnectionState}`);
    await sleep(100);
  }
  if (maxBitrate) {
    // Cap what the far side sends us too, so both directions show the limit.
    for (const pc of [a, b]) {
      const sender = pc.getSenders().find((s) => s.track?.kind === 'video');
      const parameters = sender.getParameters();
      for (const encoding of parameters.encodings) encoding.maxBitrate = maxBitrate;
      await sender.setParameters(parameters);
    }
  }
  await sleep(warmupMs);
  const dump = async () => [...(await a.getStats()).values()].map((stat) => ({ ...stat }));
  const first = await dump();
  await sleep(2000);
  const second = await dump();
  a.close();
  b.close();
  for (const track of media.getTracks()) track.stop();
  return [first, second];
}

/** Documentation addresses in place of real ones, the same real address always to the same stand-in. */
function anonymize(reports) {
  const v4 = new Map();
  const v6 = new Map();
  const replaceAddress = (value) => {
    if (typeof value !== 'string' || value === '') return value;
    if (value.includes(':')) {
      if (!v6.has(value)) v6.set(value, `2001:db8::${v6.size + 1}`);
      return v6.get(value);
    }
    if (!v4.has(value)) v4.set(value, `192.0.2.${v4.size + 10}`);
    return v4.get(value);
  };
  const scrubUrl = (url) => url.replace(/^(stuns?|turns?):[^:?]+/, (_, scheme) => `${scheme}:turn.example.net`);
  return reports.map((report) =>
    report.map((stat) => {
      const copy = { ...stat };
      for (const key of ['address', 'ip', 'relatedAddress']) if (key in copy) copy[key] = replaceAddress(copy[key]);
      if (typeof copy.url === 'string') copy.url = scrubUrl(copy.url);
      if (copy.type === 'certificate') {
        copy.base64Certificate = '(dropped)';
        copy.fingerprint = '(dropped)';
      }
      if ('usernameFragment' in copy) copy.usernameFragment = '(dropped)';
      return copy;
    }),
  );
}

function serveBlankPage() {
  return new Promise((resolve) => {
    const server = createServer((_, response) => {
      response.setHeader('content-type', 'text/html');
      response.end('<!doctype html><title>stats</title><body></body>');
    }).listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function startTurn() {
  if (!existsSync(TURNSERVER)) return null;
  const port = 34000 + Math.floor(Math.random() * 1000);
  const child = spawn(
    TURNSERVER,
    [
      '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
      `--min-port=${port + 1}`, `--max-port=${port + 50}`, '--allow-loopback-peers', '--lt-cred-mech',
      '--user=fixture:fixture', '--realm=fixture.test', '--no-tls', '--no-dtls', '--no-cli', '--log-file=stdout',
      `--pidfile=${join(tmpdir(), `fixture-turn-${port}.pid`)}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('turnserver did not start')), 10_000);
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes('Total General servers')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, server: { urls: `turn:127.0.0.1:${port}?transport=udp`, username: 'fixture', credential: 'fixture' } };
}

function write(name, browserName, version, reports) {
  const file = join(OUT, `${name}.json`);
  const fixture = {
    recordedWith: `${browserName} ${version}`,
    recordedBy: 'tools/record-stats-fixtures.mjs',
    note: 'Two getStats() reports of one RTCPeerConnection, 2 s apart; addresses replaced, certificates dropped.',
    reports: anonymize(reports),
  };
  writeFileSync(file, `${JSON.stringify(fixture, null, 1)}\n`);
  console.log(`wrote ${file} (${reports[1].length} stats)`);
}

mkdirSync(OUT, { recursive: true });
const page = await serveBlankPage();
const origin = `http://127.0.0.1:${page.address().port}/`;
const turn = await startTurn().catch((error) => {
  console.warn(`*** relay case skipped: ${error.message} ***`);
  return null;
});
try {
  if (existsSync(CHROMIUM)) {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const version = browser.version();
    const run = async (name, options) => {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      const tab = await context.newPage();
      await tab.goto(origin);
      write(name, 'Chromium', version, await tab.evaluate(recordInPage, options));
      await context.close();
    };
    await run('chromium-direct', { iceServers: [], policy: 'all', warmupMs: 5000 });
    if (turn) await run('chromium-relay', { iceServers: [turn.server], policy: 'relay', warmupMs: 5000 });
    else console.warn('*** chromium-relay skipped: no turnserver ***');
    await run('chromium-limited', { iceServers: [], policy: 'all', maxBitrate: 60_000, warmupMs: 8000 });
    await browser.close();
  } else console.warn(`*** Chromium cases skipped: ${CHROMIUM} missing ***`);

  if (existsSync(FIREFOX)) {
    const { default: puppeteer } = await import('puppeteer-core');
    const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, extraPrefsFirefox: FIREFOX_PREFS });
    const version = await browser.version();
    const tab = await browser.newPage();
    await tab.goto(origin);
    write('firefox-direct', 'Firefox', version, await tab.evaluate(recordInPage, { iceServers: [], policy: 'all', warmupMs: 5000 }));
    await browser.close();
  } else console.warn(`*** Firefox case skipped: ${FIREFOX} missing ***`);
} finally {
  turn?.child.kill();
  page.close();
}
