/** Turns the results of a run into the Markdown of docs/performance.md. */
import type { FramesKey, FramesResult } from './browser/frames-bench';
import type { QualityResult } from './browser/quality-bench';
import type { WeightResult } from './browser/weight-bench';
import type { FloodResult } from './flood-bench';
import type { IdleResult } from './idle-bench';
import type { NetworksResult } from './networks-bench';
import { type PropertyBenchResult, propertySection, propertySummaryRow } from './property-bench';
import { P99_LIMIT_MS, type RelayResult, type RelayStep, SYSTEM_LABELS, type SystemKey } from './relay/relay-bench';
import { median, ratio } from './stats';

export const BEGIN = '<!-- bench:begin (written by npm run bench; edit outside these markers) -->';
export const END = '<!-- bench:end -->';
/** The network lab's figures have a block of their own: they take root and many minutes, and are run on their own (`--only=networks`). */
export const NETWORKS_BEGIN = '<!-- bench:networks:begin (written by npm run bench -- --only=networks; edit outside these markers) -->';
export const NETWORKS_END = '<!-- bench:networks:end -->';

export interface Environment {
  date: string;
  command: string;
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  chromium?: string;
  loadAverage: { start: number; max: number; end: number };
  durationSeconds: number;
  sectionSeconds: Record<string, number>;
}

export interface BenchResults {
  environment: Environment;
  relay?: RelayResult;
  idle?: IdleResult;
  flood?: FloodResult;
  frames?: FramesResult;
  weight?: WeightResult;
  property?: PropertyBenchResult;
  networks?: NetworksResult;
  quality?: QualityResult;
  skipped: string[];
}

const fixed = (value: number | undefined, digits = 1) =>
  value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a');
const count = (value: number | undefined) => (value === undefined ? 'n/a' : value.toLocaleString('en-US'));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function verdict(met: boolean | undefined): string {
  return met === undefined ? 'n/a' : met ? 'met' : '**missed**';
}

function stepAt(relay: RelayResult, system: SystemKey, rate: number): RelayStep | undefined {
  return relay.steps.find((step) => step.system === system && step.rate === rate);
}

/** p99 ratios (ours / baseline) at every rate both sustained. */
export function p99Ratios(relay: RelayResult, ours: SystemKey, baseline: SystemKey): Array<{ rate: number; ratio: number }> {
  const rates = [...new Set(relay.steps.map((step) => step.rate))].sort((a, b) => a - b);
  const result: Array<{ rate: number; ratio: number }> = [];
  for (const rate of rates) {
    const a = stepAt(relay, ours, rate);
    const b = stepAt(relay, baseline, rate);
    if (a?.passed && b?.passed) result.push({ rate, ratio: ratio(a.latency.p99, b.latency.p99) });
  }
  return result;
}

function summaryRows(results: BenchResults): string[] {
  const rows: string[] = [];
  const { relay, idle, frames, weight } = results;
  if (relay) {
    for (const baseline of ['plain', 'peerjs'] as const) {
      if (!relay.systems.includes(baseline)) continue;
      const ratios = p99Ratios(relay, 'ours', baseline);
      const worst = ratios.length ? Math.max(...ratios.map((entry) => entry.ratio)) : Number.NaN;
      const typical = median(ratios.map((entry) => entry.ratio));
      const met = baseline === 'plain' ? worst <= 1.25 : worst < 1;
      rows.push(
        `| relay p99 / ${SYSTEM_LABELS[baseline]} p99 at equal rate (median; worst) over ${ratios.length} rates both held | ` +
          `${times(typical)}; ${times(worst)} | ${baseline === 'plain' ? '≤ 1.25x' : '< 1x (ahead)'} | ${verdict(Number.isFinite(worst) ? met : undefined)} |`,
      );
      const highest = ratio(relay.highest.ours, relay.highest[baseline]);
      const floor = baseline === 'plain' ? 0.8 : 1;
      rows.push(
        `| highest rate held / ${SYSTEM_LABELS[baseline]}'s (${count(relay.highest.ours)} vs ${count(relay.highest[baseline])} msg/s) | ` +
          `${times(highest)} | ${baseline === 'plain' ? '≥ 0.8x' : '> 1x (ahead)'} | ${verdict(Number.isFinite(highest) ? (baseline === 'plain' ? highest >= floor : highest > floor) : undefined)} |`,
      );
    }
    if (relay.systems.includes('ours-redis-2')) {
      rows.push(
        `| two processes on Redis / one process on Redis, highest rate (${count(relay.highest['ours-redis-2'])} vs ${count(relay.highest['ours-redis-1'])} msg/s) | ` +
          `${times(ratio(relay.highest['ours-redis-2'], relay.highest['ours-redis-1']))} | (reported) | — |`,
      );
    }
  }
  const oursIdle = idle?.rows.find((row) => row.system === 'ours');
  if (idle && oursIdle) {
    const plainIdle = idle.rows.find((row) => row.system === 'plain');
    rows.push(
      `| RSS with ${count(oursIdle.clients)} clients joined, one process (${fixed(oursIdle.perClientKb)} KB per client; plain relay ${fixed(plainIdle?.perClientKb)} KB) | ` +
        `${fixed(oursIdle.rssAfterMb, 0)} MB | ≤ 300 MB at 10,000 | ${verdict(idle.clients >= 10_000 ? oursIdle.rssAfterMb <= 300 && oursIdle.failures === 0 : undefined)} |`,
    );
  }
  if (frames) {
    rows.push(
      `| join to first frame, two people / in-page lower bound (median ${fixed(frames.medians.twoPerson, 0)} vs ${fixed(frames.medians.lowerBound, 0)} ms) | ` +
        `${times(frames.ratios.twoPerson)} | ≤ 1.5x | ${verdict(Number.isFinite(frames.ratios.twoPerson) ? frames.ratios.twoPerson <= 1.5 : undefined)} |`,
    );
    rows.push(
      `| join to first frame from all three, fourth person / lower bound (median ${fixed(frames.medians.fourthJoiner, 0)} ms) | ` +
        `${times(frames.ratios.fourthJoiner)} | ≤ 2x | ${verdict(Number.isFinite(frames.ratios.fourthJoiner) ? frames.ratios.fourthJoiner <= 2 : undefined)} |`,
    );
  }
  if (weight) {
    rows.push(
      `| initial JavaScript, gzip | ${fixed(weight.initialJsGzipKb)} KB | ≤ ${weight.budgetKb} KB | ${verdict(weight.initialJsGzipKb <= weight.budgetKb)} |`,
    );
  }
  if (results.property) rows.push(propertySummaryRow(results.property));
  return rows;
}

function relaySection(relay: RelayResult): string[] {
  const lines: string[] = [];
  lines.push('## 1. Signaling relay', '');
  lines.push(
    `${count(relay.clientsPerSystem)} clients per system in rooms of four, from one load-generator process. Each client sends ` +
      `\`signal\` messages round-robin to its room mates, one description (${'≈'}5 KB of SDP) for every four ICE candidates ` +
      `(≈ 0.3 KB), at most 40 per second per client (the server allows 50 with a burst of 200). A step lasts ` +
      `${relay.stepSeconds} s; it holds when every message arrived exactly once at the addressed client and p99 ≤ ${P99_LIMIT_MS} ms. ` +
      'A step that failed is run again (once, or twice when other work took over a quarter of a core) and the last result kept ' +
      '(marked ↻). CPU is percent of one core over the step; "gen" is the load generator\'s; "others" is what work outside ' +
      'the bench (other developers\' test runs) took on the machine meanwhile.',
    '',
  );
  lines.push(
    '| rate (msg/s) | system | p50 ms | p99 ms | max ms | sent | delivered | dup/misdelivered | server CPU | server RSS | Redis CPU | gen CPU | others | held |',
  );
  lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  const sorted = [...relay.steps].sort((a, b) => a.rate - b.rate || relay.systems.indexOf(a.system) - relay.systems.indexOf(b.system));
  for (const step of sorted) {
    lines.push(
      `| ${count(step.rate)} | ${SYSTEM_LABELS[step.system]} | ${fixed(step.latency.p50)} | ${fixed(step.latency.p99)} | ${fixed(step.latency.max)} | ` +
        `${count(step.sent)} | ${count(step.delivered)} | ${step.duplicates}/${step.misdelivered} | ${fixed(step.serverCpuPercent, 0)}% | ` +
        `${fixed(step.serverRssMb, 0)} MB | ${step.redisCpuPercent === undefined ? '' : `${fixed(step.redisCpuPercent, 0)}%`} | ` +
        `${fixed(step.generatorCpuPercent, 0)}% | ${fixed(step.otherCpuPercent, 0)}% | ${step.passed ? 'yes' : '**no**'}${step.retried ? ' ↻' : ''} |`,
    );
  }
  lines.push('', '**Highest rate held** (msg/s):', '');
  lines.push('| system | highest rate | / plain Socket.IO | / PeerJS server |', '|---|---:|---:|---:|');
  for (const system of relay.systems) {
    lines.push(
      `| ${SYSTEM_LABELS[system]} | ${count(relay.highest[system])} | ${times(ratio(relay.highest[system], relay.highest.plain))} | ` +
        `${times(ratio(relay.highest[system], relay.highest.peerjs))} |`,
    );
  }
  lines.push('', '**p99 at equal rate**, ours / baseline, at the rates both held:', '');
  lines.push('| rate (msg/s) | ours p99 | plain p99 | ours / plain | PeerJS p99 | ours / PeerJS |', '|---:|---:|---:|---:|---:|---:|');
  const rates = [...new Set(relay.steps.filter((step) => step.system === 'ours').map((step) => step.rate))].sort((a, b) => a - b);
  for (const rate of rates) {
    const ours = stepAt(relay, 'ours', rate);
    const plain = stepAt(relay, 'plain', rate);
    const peerjs = stepAt(relay, 'peerjs', rate);
    const show = (step: RelayStep | undefined) => (step ? `${fixed(step.latency.p99)}${step.passed ? '' : ' (failed)'}` : '—');
    const both = (step: RelayStep | undefined) => (ours?.passed && step?.passed ? times(ratio(ours.latency.p99, step.latency.p99)) : '—');
    lines.push(`| ${count(rate)} | ${show(ours)} | ${show(plain)} | ${both(plain)} | ${show(peerjs)} | ${both(peerjs)} |`);
  }
  for (const note of relay.notes) lines.push('', `Note: ${note}`);
  lines.push('');
  return lines;
}

function idleSection(idle: IdleResult): string[] {
  const lines = ['## 1b. Idle capacity', ''];
  lines.push(
    `${count(idle.clients)} clients connect (WebSocket) and join rooms of four on one server process, 100 at a time, and stay. ` +
      'RSS is read from /proc after the process has been quiet for 3 s, before the first client and after the last join. ' +
      'Ours creates each room through the REST API first and writes an attendance row per join (SQLite).',
    '',
  );
  lines.push('| system | clients | failures | RSS before | RSS after | per client | rooms/s | connects/s | joins/s |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of idle.rows) {
    lines.push(
      `| ${row.system === 'ours' ? 'Mesh Meet' : row.system === 'ours-ref' ? 'Mesh Meet, reference build' : 'plain Socket.IO relay'} | ${count(row.clients)} | ${row.failures} | ${fixed(row.rssBeforeMb, 0)} MB | ` +
        `${fixed(row.rssAfterMb, 0)} MB | ${fixed(row.perClientKb)} KB | ${fixed(row.roomsPerSecond, 0)} | ${fixed(row.connectsPerSecond, 0)} | ${fixed(row.joinsPerSecond, 0)} |`,
    );
  }
  lines.push('');
  return lines;
}

function floodSection(flood: FloodResult): string[] {
  return [
    '## 1c. A flooding neighbour',
    '',
    `Two clients in a quiet room relay ${count(flood.samples)} signals at ${flood.ratePerSecond} a second through one server process, ` +
      'timed from send to delivery; then again while a client in another room sends up to 20,000 signals a second (no acks) and ' +
      'reconnects whenever it is closed. The server refuses past the budget (RATE_LIMITED) and closes a connection after 100 refusals in 10 s.',
    '',
    '| quiet room | p50 | p99 | max |',
    '|---|---:|---:|---:|',
    `| alone | ${fixed(flood.quiet.p50, 2)} ms | ${fixed(flood.quiet.p99, 2)} ms | ${fixed(flood.quiet.max, 2)} ms |`,
    `| with a flooding neighbour | ${fixed(flood.flooded.p50, 2)} ms | ${fixed(flood.flooded.p99, 2)} ms | ${fixed(flood.flooded.max, 2)} ms |`,
    '',
    `Meanwhile the flooder sent ${count(flood.flooderSent)} signals and was closed ${count(flood.flooderClosings)} times.`,
    '',
  ];
}

const FRAME_ROWS: Array<[FramesKey, string]> = [
  ['lowerBound', 'lower bound: two connections in one page'],
  ['twoPages', 'reference: two pages, signaling passed by the bench'],
  ['twoPerson', 'the app: two people'],
  ['fourthJoiner', 'the app: fourth joiner (frames from all three)'],
];

function framesSection(frames: FramesResult): string[] {
  const lines = ['## 2. Time to first frame', ''];
  lines.push(
    'Headless Chromium, fake camera and microphone, the built app served by the built server, every person in a fresh browser ' +
      'context (own renderer process). Times are taken in the pages, on the wall clock all pages share: the click on Join ' +
      '(capture listener) and the first `requestVideoFrameCallback` of each remote video. Two people: from the second person\'s ' +
      'click until both show a frame of the other. Fourth joiner: three people already in a call with media flowing, from the ' +
      'fourth\'s click until they show a frame from all three. Lower bound (the issue\'s): two `RTCPeerConnection`s in one page of ' +
      'the same browser, camera at the app\'s constraints (1280×720, 30 fps), offer, answer and candidates handed over directly, from ' +
      '`createOffer` until both show a frame. The reference row does the same with the two connections in two pages. ' +
      `All four are measured in turn, ${frames.runs} times.`,
    '',
  );
  lines.push('| measurement | runs (ms) | median | / lower bound |', '|---|---|---:|---:|');
  for (const [key, label] of FRAME_ROWS) {
    const runs = frames.ms[key].map((value) => value.toFixed(0)).join(', ');
    lines.push(`| ${label} | ${runs} | ${fixed(frames.medians[key], 0)} ms | ${times(frames.ratios[key])} |`);
  }
  lines.push(
    '',
    'Where the time goes (medians, ms after the click, or after `createOffer`): the signaling socket open (negative: the ' +
      'lobby opened it that long before the click), every peer connection of the joiner `connected` (ICE and DTLS done), ' +
      'the last first frame.',
    '',
    '| measurement | socket open | connected | first frame | connected → first frame |',
    '|---|---:|---:|---:|---:|',
  );
  for (const [key, label] of FRAME_ROWS) {
    const phases = frames.phases[key];
    const socket = median(phases.map((phase) => phase.socket));
    const connected = median(phases.map((phase) => phase.connected));
    const frame = median(phases.map((phase) => phase.frame));
    const tail = median(phases.map((phase) => phase.frame - phase.connected));
    lines.push(`| ${label} | ${key === 'twoPerson' || key === 'fourthJoiner' ? fixed(socket, 0) : '—'} | ${fixed(connected, 0)} | ${fixed(frame, 0)} | ${fixed(tail, 0)} |`);
  }
  for (const failure of frames.failures) lines.push('', `Failed: ${failure}`);
  lines.push('');
  return lines;
}

function weightSection(weight: WeightResult): string[] {
  const lines = ['## 3. Weight of the web app', ''];
  lines.push(
    `Initial JavaScript (the scripts of index.html and what they import statically, gzip level 9, as \`tools/report-bundle.mjs\` ` +
      `prints after every build): **${fixed(weight.initialJsGzipKb)} KB gzip** (${fixed(weight.initialJsRawKb)} KB raw), budget ${weight.budgetKb} KB.`,
    '',
    'First load with an empty cache (every response body and its headers; WebSocket traffic not counted). "as served" is what our ' +
      'server sends; "gzip" is the same responses compressed, as behind a compressing reverse proxy.',
    '',
  );
  lines.push('| page | requests | as served | gzip | JavaScript as served | JavaScript gzip |', '|---|---:|---:|---:|---:|---:|');
  for (const page of weight.pages) {
    lines.push(
      `| ${page.page} | ${page.requests} | ${kb(page.transferredBytes)} | ${kb(page.gzipBytes)} | ${kb(page.jsBytes)} | ${kb(page.jsGzipBytes)} |`,
    );
  }
  if (weight.pages.length && !weight.pages.some((page) => page.compressed)) {
    lines.push('', 'Our server sends no response compressed (no `Content-Encoding`): "as served" is uncompressed.');
  } else if (weight.pages.length) {
    lines.push(
      '',
      'Our server compresses the app\'s text files itself (brotli for browsers, which all accept it; gzip otherwise): "as served" is ' +
        'what crossed the wire; "gzip" is the same bodies at gzip level 6, what an nginx in front would send by default.',
    );
  }
  lines.push('');
  return lines;
}

function qualitySection(quality: QualityResult): string[] {
  const lines = ['## Call-quality indicator: main-thread cost', ''];
  lines.push(
    `A six-person call in headless Chromium (each page has five peer connections), the real app. Main-thread time per page ` +
      `(CDP \`Performance.getMetrics\` TaskDuration) over a ${fixed(quality.windowSeconds, 0)} s window, in ms per second: ` +
      'with the indicator as shipped, and without it (RTCPeerConnection.getStats taken away by an init script, so the sampler never ' +
      'runs). Measured without, with, without again, so drift in the machine\'s load shows.',
    '',
    '| run | pages | median ms/s | each page (ms/s) |',
    '|---|---:|---:|---|',
    `| without the indicator | ${quality.msPerSecond.without.length} | ${fixed(quality.medians.without)} | ${quality.msPerSecond.without.map((value) => value.toFixed(1)).join(', ')} |`,
    `| with the indicator | ${quality.msPerSecond.with.length} | ${fixed(quality.medians.with)} | ${quality.msPerSecond.with.map((value) => value.toFixed(1)).join(', ')} |`,
    '',
    `Difference of the medians: **${fixed(quality.medians.with - quality.medians.without)} ms per second** per page; ` +
      `getStats() calls per page per second with the indicator: ${fixed(quality.getStatsPerSecond, 2)} (five connections every 2 s is 2.5).`,
  );
  for (const failure of quality.failures) lines.push('', `Failed: ${failure}`);
  lines.push('');
  return lines;
}

export function renderResults(results: BenchResults): string {
  const env = results.environment;
  const lines: string[] = [BEGIN, ''];
  lines.push(
    `Measured **${env.date}** with \`${env.command}\` in ${fixed(env.durationSeconds / 60)} min ` +
      `(${Object.entries(env.sectionSeconds)
        .map(([name, seconds]) => `${name} ${seconds.toFixed(0)} s`)
        .join(', ')}).`,
    '',
    `Machine: ${env.cores} cores (${env.cpuModel}), ${fixed(env.memoryGiB, 0)} GiB memory, Linux ${env.kernel}; Node ${env.node}` +
      `${env.chromium ? `; Chromium ${env.chromium}` : ''}. Load average (1 min, the bench's own processes included) ` +
      `${fixed(env.loadAverage.start, 2)} at the start, ${fixed(env.loadAverage.max, 2)} at most, ${fixed(env.loadAverage.end, 2)} ` +
      'at the end. Other developers\' test runs share these two cores (the relay table shows how much CPU they took during each ' +
      'step), so absolute numbers drift from run to run; the ratios, measured side by side within seconds, are what to compare.',
    '',
  );
  if (results.skipped.length) lines.push(`Skipped: ${results.skipped.join('; ')}.`, '');
  const summary = summaryRows(results);
  if (summary.length) {
    lines.push('### Against the targets', '', '| measure | value | target | |', '|---|---:|---|---|', ...summary, '');
  }
  if (results.relay) lines.push(...relaySection(results.relay));
  if (results.idle) lines.push(...idleSection(results.idle));
  if (results.flood) lines.push(...floodSection(results.flood));
  if (results.frames) lines.push(...framesSection(results.frames));
  if (results.weight) lines.push(...weightSection(results.weight));
  if (results.property) lines.push(...propertySection(results.property));
  if (results.quality) lines.push(...qualitySection(results.quality));
  lines.push(END);
  return lines.join('\n');
}

/** Replaces the generated block of an existing document, keeping what people wrote around it. */
export function spliceInto(existing: string | undefined, block: string, begin = BEGIN, end = END): string {
  if (existing) {
    const from = existing.indexOf(begin);
    const to = existing.indexOf(end);
    if (from >= 0 && to > from) return existing.slice(0, from) + block + existing.slice(to + end.length);
    if (begin !== BEGIN) return `${existing.trimEnd()}\n\n${block}\n`;
  }
  return `# Performance\n\n${block}\n`;
}

/** The network lab's block: medians over the runs, with every value, and the machine they ran on. */
export function renderNetworks(networks: NetworksResult, environment: Environment): string {
  const lines = [
    NETWORKS_BEGIN,
    '',
    `Measured **${environment.date}** with \`${environment.command}\`: ${networks.runs} runs of the lab's cases (apps/net-e2e)` +
      `${networks.failedRuns ? `, ${networks.failedRuns} of them with a failing case` : ''}.`,
    '',
    `Machine: ${environment.cores} cores (${environment.cpuModel}), ${fixed(environment.memoryGiB, 0)} GiB memory, Linux ${environment.kernel}; ` +
      `Node ${environment.node}. Load average (1 min) ${fixed(environment.loadAverage.start, 2)} at the start, ${fixed(environment.loadAverage.max, 2)} at most: ` +
      'three Chromiums share these cores with whatever else runs, so the times are the median of what a loaded machine gives.',
    '',
    '| figure | median | values (every run) |',
    '|---|---:|---|',
  ];
  for (const figure of networks.figures) {
    lines.push(`| ${figure.name} | ${fixed(figure.median, figure.unit === 's' ? 2 : 0)} ${figure.unit} | ${figure.values.join(', ')} |`);
  }
  if (!networks.figures.length) lines.push('| (no figures: the lab did not run; it needs root and network namespaces) | | |');
  lines.push('', NETWORKS_END);
  return lines.join('\n');
}
