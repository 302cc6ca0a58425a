/*
 * The nftables rulesets and tc commands the lab applies inside a router
 * namespace, built as text so a spec can check them without root. Interface
 * names are the router's own: `wan` towards the lab's internet, `lan`
 * towards the participant's client namespace.
 */

/**
 * - home: a home router. Masquerade keeps the source port where it can, so a
 *   socket keeps one public mapping whoever it talks to (endpoint-independent
 *   mapping); two homes reach each other by hole punching.
 * - carrier: carrier-grade NAT. `random` draws a new public port for every
 *   new destination (address-and-port-dependent mapping), so the port a STUN
 *   server saw is useless to a peer: two carriers need TURN.
 * - udp-blocked: a corporate network that lets only TCP out; media must go
 *   through TURN over TCP (or TLS).
 * Every kind lets nothing in that the inside did not start.
 */
export type NetworkKind = 'home' | 'carrier' | 'udp-blocked';

export const NAT_TABLE = 'mmlab_nat';
export const IMPAIR_TABLE = 'mmlab_impair';
export const BLOCK_TABLE = 'mmlab_block';

/** A table replaced as a whole: create it if missing, delete it, then write it anew, in one nft transaction. */
function replaceTable(name: string, body: string): string {
  return `table ip ${name} {}\ndelete table ip ${name}\ntable ip ${name} {\n${body}}\n`;
}

export function routerRuleset(kind: NetworkKind): string {
  const masquerade = kind === 'carrier' ? 'masquerade random' : 'masquerade';
  const outbound = kind === 'udp-blocked' ? 'iifname "lan" oifname "wan" meta l4proto tcp accept' : 'iifname "lan" oifname "wan" accept';
  return replaceTable(
    NAT_TABLE,
    [
      '  chain postrouting {',
      '    type nat hook postrouting priority srcnat; policy accept;',
      `    oifname "wan" ${masquerade}`,
      '  }',
      // Unsolicited packets to the router itself are dropped before conntrack confirms
      // an entry for them: otherwise a peer's early hole-punching check would claim
      // the public port, and the inside's answer would be mapped to another one.
      '  chain input {',
      '    type filter hook input priority filter; policy accept;',
      '    iifname "wan" ct state new,invalid drop',
      '  }',
      '  chain forward {',
      '    type filter hook forward priority filter; policy drop;',
      '    ct state established,related accept',
      `    ${outbound}`,
      '  }',
      '',
    ].join('\n'),
  );
}

export interface Loss {
  /** Percent of packets from the participant dropped (0–100). */
  uplinkPercent?: number;
  /** Percent of packets to the participant dropped (0–100). */
  downlinkPercent?: number;
}

function percent(value: number | undefined, what: string): number {
  const n = value ?? 0;
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new Error(`${what} must be a whole percent 0-100, not ${String(value)}`);
  return n;
}

/**
 * Random loss on the router's forward path, before its NAT filter: each packet
 * draws a number 0–99 and is dropped below the percentage. (This kernel has no
 * netem; nftables' numgen gives the same independent loss.)
 */
export function lossRuleset(loss: Loss): string {
  const up = percent(loss.uplinkPercent, 'uplinkPercent');
  const down = percent(loss.downlinkPercent, 'downlinkPercent');
  const rules = [
    ...(up > 0 ? [`    iifname "lan" oifname "wan" numgen random mod 100 < ${up} drop`] : []),
    ...(down > 0 ? [`    iifname "wan" oifname "lan" numgen random mod 100 < ${down} drop`] : []),
  ];
  return replaceTable(
    IMPAIR_TABLE,
    ['  chain forward {', '    type filter hook forward priority filter - 10; policy accept;', ...rules, '  }', ''].join('\n'),
  );
}

export type Direction = 'uplink' | 'downlink';

/** The router interface whose outgoing queue carries a direction: uplink leaves by wan, downlink by lan. */
export function egressOf(direction: Direction): 'wan' | 'lan' {
  return direction === 'uplink' ? 'wan' : 'lan';
}

/**
 * `tc` arguments for a token-bucket cap of `kbit` kbit/s on a direction. The
 * bucket holds 100 ms of traffic (at least 4 KiB, a few full-size packets,
 * or nothing passes), and packets wait at most 200 ms before being dropped, as
 * a congested access link does.
 */
export function rateCapArgs(direction: Direction, kbit: number): string[] {
  if (!Number.isInteger(kbit) || kbit <= 0) throw new Error(`a rate cap must be a positive whole kbit/s, not ${kbit}`);
  const burstBytes = Math.max(4096, Math.ceil((kbit * 1000) / 8 / 10));
  return ['qdisc', 'replace', 'dev', egressOf(direction), 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', String(burstBytes), 'latency', '200ms'];
}

export function removeRateCapArgs(direction: Direction): string[] {
  return ['qdisc', 'del', 'dev', egressOf(direction), 'root'];
}

/**
 * Drops every TCP packet to and from `ports` on a host (its input and output
 * hooks), silently, as a broken route does: nothing is refused or reset, the
 * ends find out by their own timeouts. No ports: nothing is dropped.
 */
export function blockedPortsRuleset(ports: readonly number[]): string {
  for (const port of ports) {
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`not a TCP port: ${port}`);
  }
  const set = `{ ${ports.join(', ')} }`;
  const rules = (direction: 'dport' | 'sport') => (ports.length ? [`    tcp ${direction} ${set} drop`] : []);
  return replaceTable(
    BLOCK_TABLE,
    [
      '  chain input {',
      '    type filter hook input priority filter - 10; policy accept;',
      ...rules('dport'),
      '  }',
      '  chain output {',
      '    type filter hook output priority filter - 10; policy accept;',
      ...rules('sport'),
      '  }',
      '',
    ].join('\n'),
  );
}
