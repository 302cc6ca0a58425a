import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { labAvailable } from './availability';
import { IP } from './command';
import { INTERNET_HOST, NetLab, startWatchdog } from './lab';

const available = labAvailable('network lab (libs/net-lab)');

/** Runs a small Node script inside a namespace and returns what it printed. */
function nodeIn(ns: string, script: string): string {
  return execFileSync(IP, ['netns', 'exec', ns, process.execPath, '-e', script], { encoding: 'utf8', timeout: 10_000 });
}

/**
 * Two UDP ports on the internet host that print the source address:port of
 * each datagram they receive, as a STUN server would see it.
 */
function startMappingProbe(lab: NetLab): { child: ChildProcess; seen: () => string[]; ready: Promise<void>; lines: (n: number) => Promise<void> } {
  const script = `
    const dgram = require('node:dgram');
    let open = 0;
    for (const port of [41001, 41002]) {
      const socket = dgram.createSocket('udp4');
      socket.on('message', (m, r) => { console.log(port + ' ' + r.address + ':' + r.port); socket.send('back', r.port, r.address); });
      socket.bind(port, '${INTERNET_HOST}', () => { if (++open === 2) console.log('ready'); });
    }`;
  const child = spawn(IP, ['netns', 'exec', lab.internet, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  });
  const seen = () => output.split('\n').filter((line) => /^4100\d /.test(line));
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!done()) return;
        listeners.delete(check);
        resolve();
      };
      listeners.add(check);
      check();
    });
  return { child, seen, ready: until(() => output.includes('ready')), lines: (n) => until(() => seen().length >= n) };
}

/** From one UDP socket in the client namespace, one datagram to each probe port; resolves once both answered. */
const SEND_FROM_ONE_SOCKET = `
  const socket = require('node:dgram').createSocket('udp4');
  let answers = 0;
  socket.on('message', () => { if (++answers === 2) { console.log('answered'); socket.close(); } });
  socket.bind(0, () => { for (const port of [41001, 41002]) socket.send('hi', port, '${INTERNET_HOST}'); });
  setTimeout(() => { console.log('answers ' + answers); process.exit(0); }, 3000).unref();`;

(available ? describe : describe.skip)('the network lab', () => {
  let lab: NetLab | undefined;

  afterEach(() => lab?.destroy());

  it('maps one socket to one public port behind a home NAT and to a new one per destination behind a carrier NAT', async () => {
    lab = NetLab.create();
    const home = lab.addParticipant('home');
    const carrier = lab.addParticipant('carrier');
    const probe = startMappingProbe(lab);
    try {
      await probe.ready;
      expect(nodeIn(home.client, SEND_FROM_ONE_SOCKET)).toContain('answered');
      expect(nodeIn(carrier.client, SEND_FROM_ONE_SOCKET)).toContain('answered');
      // The probe's lines arrive once this process reads its pipe again (the sends above block it).
      await probe.lines(4);
      const portsOf = (address: string) => new Set(probe.seen().filter((line) => line.includes(` ${address}:`)).map((line) => line.split(':')[1]));
      // Both reach the internet only through their router's public address.
      expect(probe.seen().every((line) => line.includes(home.publicAddress) || line.includes(carrier.publicAddress))).toBe(true);
      expect(portsOf(home.publicAddress).size).toBe(1);
      expect(portsOf(carrier.publicAddress).size).toBe(2);
    } finally {
      probe.child.kill('SIGKILL');
    }
    // Node started in namespaces, one after another: seconds on a loaded machine.
  }, 30_000);

  it('moves a client between two networks as a phone does: the preferred one while both are up, the other once it goes', async () => {
    lab = NetLab.create();
    const phone = lab.addParticipant('home');
    const [wifi] = lab.networksOf(phone);
    const mobile = lab.addNetwork(phone, 'carrier');
    expect(lab.networksOf(phone)).toEqual([wifi, mobile]);
    const probe = startMappingProbe(lab);
    const sources = () => new Set(probe.seen().map((line) => line.split(' ')[1].split(':')[0]));
    try {
      await probe.ready;
      lab.setNetworkUp(mobile, true);
      expect(nodeIn(phone.client, SEND_FROM_ONE_SOCKET)).toContain('answered');
      await probe.lines(2);
      expect(sources()).toEqual(new Set([wifi.publicAddress]));

      lab.setNetworkUp(wifi, false);
      expect(nodeIn(phone.client, SEND_FROM_ONE_SOCKET)).toContain('answered');
      await probe.lines(4);
      expect(sources()).toEqual(new Set([wifi.publicAddress, mobile.publicAddress]));

      lab.setNetworkUp(mobile, false);
      expect(nodeIn(phone.client, SEND_FROM_ONE_SOCKET)).not.toContain('answered');
    } finally {
      probe.child.kill('SIGKILL');
    }
  }, 30_000);

  it('lets only TCP out of a UDP-blocked network', () => {
    lab = NetLab.create();
    const blocked = lab.addParticipant('udp-blocked');
    expect(nodeIn(blocked.client, SEND_FROM_ONE_SOCKET)).toContain('answers 0');
  });

  it("reaches a port on a client namespace's own loopback from this process through a bridge, until the lab is gone", async () => {
    lab = NetLab.create();
    const participant = lab.addParticipant('carrier');
    const bridge = await lab.bridgeLoopback(participant);
    // A service only the client namespace's loopback can reach: it says which network it runs in.
    const service = spawn(
      IP,
      ['netns', 'exec', participant.client, process.execPath, '-e', `
        const net = require('node:net');
        const address = require('node:os').networkInterfaces().eth0[0].address;
        net.createServer((socket) => socket.end('inside ' + address)).listen(${bridge.port}, '127.0.0.1', () => console.log('ready'));`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((resolve) => service.stdout?.once('data', resolve));
    const read = () =>
      new Promise<string>((resolve, reject) => {
        let text = '';
        const socket = connect(bridge.port, '127.0.0.1');
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
    expect(await read()).toBe(`inside ${participant.clientAddress}`);

    lab.destroy();

    await expect(read()).rejects.toThrow(/ECONNREFUSED/);
    expect(existsSync(lab.files)).toBe(false);
  }, 30_000);

  it('removes every namespace, process and file it made', () => {
    lab = NetLab.create();
    const participant = lab.addParticipant('home');
    lab.setLoss(participant, { uplinkPercent: 5 });
    lab.setRateCap(participant, 'uplink', 500);
    const sleeper = spawn(IP, ['netns', 'exec', participant.client, 'sleep', '60'], { stdio: 'ignore' });
    const wrapper = lab.wrapper(participant, '/bin/true');
    expect(execFileSync(wrapper, { encoding: 'utf8' })).toBe('');
    const made = execFileSync(IP, ['netns', 'list'], { encoding: 'utf8' });
    expect(made).toContain(participant.router);
    expect(made).toContain(lab.internet);

    lab.destroy();

    const left = execFileSync(IP, ['netns', 'list'], { encoding: 'utf8' });
    expect(left).not.toContain(`mmlab-${process.pid}-`);
    expect(existsSync(wrapper)).toBe(false);
    return new Promise<void>((resolve) => sleeper.once('exit', () => resolve()));
  });

  it('removes what a run left as soon as that run is killed', async () => {
    // A stand-in for a test process, with a namespace and a process in it, killed without a teardown.
    const run = spawn('sleep', ['60'], { stdio: 'ignore' });
    const ns = `mmlab-${run.pid}-inet`;
    execFileSync(IP, ['netns', 'add', ns]);
    const inside = spawn(IP, ['netns', 'exec', ns, 'sleep', '60'], { stdio: 'ignore' });
    const insideEnded = new Promise((resolve) => inside.once('exit', resolve));
    const watchdog = startWatchdog(run.pid ?? 0);
    const watchdogEnded = new Promise((resolve) => watchdog.once('exit', resolve));

    run.kill('SIGKILL');

    await Promise.all([insideEnded, watchdogEnded]);
    expect(execFileSync(IP, ['netns', 'list'], { encoding: 'utf8' })).not.toContain(ns);
  });

  it("cleans a killed run's leftovers at start", () => {
    // A namespace named for a pid that cannot be running (above the kernel's pid_max).
    const leftover = 'mmlab-99999999-r1';
    execFileSync(IP, ['netns', 'add', leftover]);
    lab = NetLab.create();
    expect(execFileSync(IP, ['netns', 'list'], { encoding: 'utf8' })).not.toContain(leftover);
  });
});
