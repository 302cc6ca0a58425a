import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IP, NFT, TC, enter, run, runIn } from './command';
import { type LoopbackBridge, bridgeLoopback } from './loopback-bridge';
import { LAB_PREFIX, isStale, labName } from './names';
import { type Direction, type Loss, type NetworkKind, blockedPortsRuleset, lossRuleset, rateCapArgs, removeRateCapArgs, routerRuleset } from './rules';

/**
 * The lab's "internet": the benchmarking range (RFC 2544), never routed on
 * the real internet. It exists only on a bridge inside the lab's own
 * namespace; nothing in the lab has a route anywhere else.
 */
export const INTERNET_RANGE = '198.18.0.0/15';
/** The same range as coturn's allowed-peer-ip wants it. */
export const INTERNET_PEER_RANGE = '198.18.0.0-198.19.255.255';
/** Where the app server and coturn listen, in the internet namespace. */
export const INTERNET_HOST = '198.18.0.1';

export interface Participant {
  readonly label: string;
  readonly kind: NetworkKind;
  /** The router namespace: NAT, filtering, impairments. */
  readonly router: string;
  /** The client namespace, where the participant's browser runs. */
  readonly client: string;
  /** The router's address on the lab internet: the participant's public address. */
  readonly publicAddress: string;
  readonly clientAddress: string;
}

/**
 * One network a participant's client namespace is on: an interface there
 * (`eth0` for the first, `eth1`, … for more) behind its own router. A phone
 * has two: Wi-Fi (say a home router) and 4G (a carrier router).
 */
export interface ClientNetwork {
  readonly participant: Participant;
  readonly kind: NetworkKind;
  readonly router: string;
  /** The interface in the participant's client namespace. */
  readonly device: string;
  readonly clientAddress: string;
  readonly gateway: string;
  readonly publicAddress: string;
  /** The default route's metric: the lower one wins while two networks are up (Wi-Fi over 4G, as phones do). */
  readonly metric: number;
}

/**
 * Small networks out of Linux network namespaces: one "internet" namespace
 * holding a bridge on 198.18.0.0/15, and per participant a router namespace
 * (NAT of the chosen kind) with a client namespace behind it on
 * 10.<n>.0.0/24. Links are created straight inside the namespaces and the
 * rules live in the namespaces' own nftables, so the host's interfaces,
 * routes and ruleset are never touched, and deleting a namespace removes
 * everything in it.
 *
 * One lab per process at a time (a later `create` in the same process would
 * count the first one's namespaces as leftovers).
 */
export class NetLab {
  readonly internet: string;
  private readonly namespaces: string[] = [];
  private readonly participants: Participant[] = [];
  /** Every participant's networks, its first (eth0) first. */
  private readonly clientNetworks = new Map<Participant, ClientNetwork[]>();
  /** Routers made so far: each one's number picks its names and addresses. */
  private routers = 0;
  private readonly bridges: LoopbackBridge[] = [];
  /**
   * A directory for the run's files (browser wrappers, and what the tests
   * put there: server data, coturn's run directory), removed with the lab
   * or by the next run's stale cleaning. Readable by all: coturn drops to nobody.
   */
  readonly files: string;
  private destroyed = false;
  private readonly removeHooks: () => void;
  private readonly watchdog: ChildProcess;

  private constructor(readonly pid: number) {
    this.internet = labName(pid, 'inet');
    this.files = mkdtempSync(join(tmpdir(), `${labName(pid, 'files')}-`));
    chmodSync(this.files, 0o755);
    this.removeHooks = destroyOnExit(this);
    this.watchdog = startWatchdog(pid);
  }

  /** Cleans what killed runs left, then builds the internet namespace. */
  static create(): NetLab {
    cleanStale(process.pid);
    const lab = new NetLab(process.pid);
    try {
      lab.addNamespace(lab.internet);
      runIp(['-n', lab.internet, 'link', 'add', 'br0', 'type', 'bridge']);
      runIp(['-n', lab.internet, 'addr', 'add', `${INTERNET_HOST}/15`, 'dev', 'br0']);
      runIp(['-n', lab.internet, 'link', 'set', 'br0', 'up']);
    } catch (error) {
      lab.destroy();
      throw error;
    }
    return lab;
  }

  /** A participant's network: a router of `kind` on the internet and a client behind it. */
  addParticipant(kind: NetworkKind, label = `p${this.participants.length + 1}`): Participant {
    const n = this.routers + 1;
    const client = labName(this.pid, `c${n}`);
    const participant: Participant = {
      label,
      kind,
      router: labName(this.pid, `r${n}`),
      client,
      publicAddress: `198.18.${n}.1`,
      clientAddress: `10.${n}.0.2`,
    };
    this.addNamespace(client);
    this.participants.push(participant);
    const first = this.addRouter(participant, kind, 'eth0', 0);
    this.setNetworkUp(first, true);
    return participant;
  }

  /**
   * Another network beside the participant's first (4G beside Wi-Fi): a new
   * router of `kind` and a new interface in the same client namespace, down
   * until `setNetworkUp`. Its default route has a higher metric than the ones
   * before it, so while both are up the earlier one carries the traffic.
   */
  addNetwork(participant: Participant, kind: NetworkKind): ClientNetwork {
    const networks = this.networksOf(participant);
    return this.addRouter(participant, kind, `eth${networks.length}`, 100 * networks.length);
  }

  /** The participant's networks, its first (eth0, made with the participant) first. */
  networksOf(participant: Participant): ClientNetwork[] {
    const networks = this.clientNetworks.get(participant);
    if (!networks) throw new Error(`${participant.label} is not a participant of this lab`);
    return networks;
  }

  /**
   * Brings a client network up (link, address, default route) or takes it
   * down as a phone does when it leaves Wi-Fi: the link goes down and the
   * address with it, so sockets bound to it can send nothing any more (they
   * are not reset: the other end finds out by its own timeouts).
   */
  setNetworkUp(network: ClientNetwork, up: boolean): void {
    const { client } = network.participant;
    if (up) {
      runIp(['-n', client, 'link', 'set', network.device, 'up']);
      runIp(['-n', client, 'addr', 'replace', `${network.clientAddress}/24`, 'dev', network.device]);
      runIp(['-n', client, 'route', 'replace', 'default', 'via', network.gateway, 'dev', network.device, 'metric', String(network.metric)]);
      runIp(['-n', client, 'route', 'replace', 'default', 'via', network.gateway, 'dev', network.device, 'table', routingTable(network)]);
    } else {
      runIp(['-n', client, 'addr', 'flush', 'dev', network.device]);
      runIp(['-n', client, 'link', 'set', network.device, 'down']);
    }
  }

  /** A router namespace numbered n: wan on the internet's bridge, lan to `device` in the participant's client namespace. */
  private addRouter(participant: Participant, kind: NetworkKind, device: string, metric: number): ClientNetwork {
    const n = this.routers + 1;
    if (n > 250) throw new Error('the lab addresses at most 250 routers');
    this.routers = n;
    const router = labName(this.pid, `r${n}`);
    const network: ClientNetwork = {
      participant,
      kind,
      router,
      device,
      clientAddress: `10.${n}.0.2`,
      gateway: `10.${n}.0.1`,
      publicAddress: `198.18.${n}.1`,
      metric,
    };
    this.addNamespace(router);
    // The uplink: router's wan, its other end a port of the internet's bridge.
    runIp(['link', 'add', 'wan', 'netns', router, 'type', 'veth', 'peer', 'name', `p${n}`, 'netns', this.internet]);
    runIp(['-n', this.internet, 'link', 'set', `p${n}`, 'master', 'br0', 'up']);
    runIp(['-n', router, 'addr', 'add', `${network.publicAddress}/15`, 'dev', 'wan']);
    runIp(['-n', router, 'link', 'set', 'wan', 'up']);
    // The client's network: router's lan, the client's `device`.
    runIp(['link', 'add', 'lan', 'netns', router, 'type', 'veth', 'peer', 'name', device, 'netns', participant.client]);
    runIp(['-n', router, 'addr', 'add', `${network.gateway}/24`, 'dev', 'lan']);
    runIp(['-n', router, 'link', 'set', 'lan', 'up']);
    runIn(router, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
    runIn(router, NFT, ['-f', '-'], routerRuleset(kind));
    // A socket bound to this network's address leaves by this network, as on a phone
    // (Android routes per network): without the rule, Linux would send it out by
    // whichever default route wins, with a source address that network never gave.
    runIp(['-n', participant.client, 'rule', 'add', 'from', network.clientAddress, 'lookup', routingTable(network)]);
    this.clientNetworks.set(participant, [...(this.clientNetworks.get(participant) ?? []), network]);
    return network;
  }

  /** Random loss on a participant's uplink and/or downlink; `{}` removes it. */
  setLoss(participant: Participant, loss: Loss): void {
    runIn(participant.router, NFT, ['-f', '-'], lossRuleset(loss));
  }

  /** A bandwidth cap on one direction of a participant's link; `undefined` removes it. */
  setRateCap(participant: Participant, direction: Direction, kbit: number | undefined): void {
    if (kbit === undefined) runIn(participant.router, TC, removeRateCapArgs(direction));
    else runIn(participant.router, TC, rateCapArgs(direction, kbit));
  }

  /**
   * Cuts the internet host's TCP `ports` off (the app server's, say, while
   * coturn and the paths between participants stay up), or restores them
   * with `[]`: packets vanish both ways, nothing is refused or reset.
   */
  blockInternetPorts(ports: readonly number[]): void {
    runIn(this.internet, NFT, ['-f', '-'], blockedPortsRuleset(ports));
  }

  /** Takes the participant's uplink down (gone without a goodbye) or back up. */
  setLinkUp(participant: Participant, up: boolean): void {
    runIp(['-n', participant.router, 'link', 'set', 'wan', up ? 'up' : 'down']);
  }

  /** The command prefix that runs a program in a namespace of this lab. */
  enter(ns: string): string[] {
    if (!this.namespaces.includes(ns)) throw new Error(`${ns} is not a namespace of this lab`);
    return enter(ns);
  }

  /**
   * An executable that runs `binary` inside the participant's client
   * namespace with the arguments it was given: what a browser driver takes as
   * the browser's path (playwright's executablePath).
   */
  wrapper(participant: Participant, binary: string): string {
    const path = join(this.files, `${participant.label}-${binary.split('/').pop() ?? 'program'}`);
    writeFileSync(path, `#!/bin/sh\nexec ${IP} netns exec ${participant.client} ${binary} "$@"\n`);
    chmodSync(path, 0o755);
    return path;
  }

  /**
   * A TCP port on the participant's client loopback (a browser's remote
   * agent), reachable from this process at 127.0.0.1:<port>, the same port
   * number as inside; closed with the lab.
   */
  async bridgeLoopback(participant: Participant): Promise<LoopbackBridge> {
    const bridge = await bridgeLoopback(this.enter(participant.client), join(this.files, `${participant.label}.sock`));
    this.bridges.push(bridge);
    return bridge;
  }

  /** Ends every process in the lab's namespaces and removes the namespaces (with their links and rules) and files. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.removeHooks();
    this.watchdog.kill('SIGKILL');
    for (const bridge of this.bridges) bridge.close();
    removeNamespaces([...this.namespaces].reverse());
    rmSync(this.files, { recursive: true, force: true });
  }

  private addNamespace(ns: string): void {
    runIp(['netns', 'add', ns]);
    this.namespaces.push(ns);
    runIp(['-n', ns, 'link', 'set', 'lo', 'up']);
    // IPv4 only: no IPv6 link-local path may sidestep the NAT under test.
    runIn(ns, 'sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  }
}

/** The client namespace's routing table for one network: its router's number, above the kernel's own tables' low numbers. */
function routingTable(network: ClientNetwork): string {
  return String(1000 + Number(network.gateway.split('.')[1]));
}

function runIp(args: readonly string[]): string {
  return run(IP, args);
}

/** Every lab namespace on the machine. */
function labNamespaces(): string[] {
  return run(IP, ['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter((name) => name.startsWith(LAB_PREFIX));
}

/** SIGKILLs what runs in each namespace, then deletes it; what is already gone is skipped. */
function removeNamespaces(namespaces: readonly string[]): void {
  for (const ns of namespaces) {
    try {
      for (const pid of run(IP, ['netns', 'pids', ns]).split('\n').filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // ended meanwhile
        }
      }
      run(IP, ['netns', 'delete', ns]);
    } catch {
      // already deleted
    }
  }
}

/**
 * Removes what a killed run left: namespaces whose owner is gone (their links
 * and nft tables go with them, their processes are killed first) and its
 * temporary files. Runs still going beside this one keep theirs.
 */
export function cleanStale(self: number): string[] {
  const stale = labNamespaces().filter((ns) => isStale(ns, self));
  removeNamespaces(stale);
  for (const entry of readdirSync(tmpdir())) {
    if (isStale(entry, self)) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
  return stale;
}

/**
 * A detached shell that outlives the test process: once `pid` has ended,
 * however it ended (SIGKILL, or a signal jest does not pass to the test's
 * hooks: jest gives each test file a copy of `process` whose listeners the
 * real process never calls), it kills what runs in that run's namespaces and
 * deletes them and its files. `destroy` ends it after a normal teardown.
 */
export function startWatchdog(pid: number): ChildProcess {
  const prefix = labName(pid, '');
  const script = [
    // Polls once a second: a watchdog for a dead process has no event to wait on.
    `while kill -0 ${pid} 2>/dev/null; do sleep 1; done`,
    `for ns in $(${IP} netns list | awk '{print $1}' | grep '^${prefix}'); do`,
    `  ${IP} netns pids "$ns" | xargs -r kill -KILL`,
    `  ${IP} netns delete "$ns"`,
    'done',
    `rm -rf ${tmpdir()}/${prefix}*`,
  ].join('\n');
  const watchdog = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return watchdog;
}

/**
 * Teardown even when the process ends early: on exit, and on SIGINT or
 * SIGTERM (after which the signal is raised again, so the process still ends
 * the way it was asked to). These reach a lab used outside jest; under jest
 * the watchdog does it. Returns the way to remove these hooks.
 */
function destroyOnExit(lab: NetLab): () => void {
  const onExit = () => lab.destroy();
  const onSignal = (signal: NodeJS.Signals) => {
    lab.destroy();
    process.kill(process.pid, signal);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
