import { readFileSync } from 'node:fs';
import { repoPath } from '@mesh-meet/testing';
import { coturnRangeHolds, parseAddress, parseRange } from './coturn-addresses';

const lines = readFileSync(repoPath('turnserver/turnserver.conf'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const options = lines.map((line) => {
  const at = line.indexOf('=');
  return at < 0 ? { name: line, value: undefined } : { name: line.slice(0, at), value: line.slice(at + 1) };
});
const values = (name: string) => options.filter((option) => option.name === name).map((option) => option.value);
const value = (name: string) => values(name).at(-1);
const ranges = values('denied-peer-ip').map((range) => parseRange(range ?? ''));
const deniedBy = (address: string) => ranges.filter((range) => coturnRangeHolds(range, parseAddress(address))).map((range) => range.text);

describe('turnserver/turnserver.conf', () => {
  it('allows ephemeral credentials only: use-auth-secret, no secret, no static users, no database', () => {
    expect(values('use-auth-secret')).toEqual([undefined]);
    for (const forbidden of ['static-auth-secret', 'user', 'lt-cred-mech', 'userdb', 'psql-userdb', 'mysql-userdb', 'redis-userdb']) {
      expect({ forbidden, present: values(forbidden).length > 0 }).toEqual({ forbidden, present: false });
    }
  });

  it('is hardened: no CLI, no RFC 5780, no software attribute, no multicast or TCP relay, fingerprints', () => {
    for (const flag of ['no-cli', 'no-rfc5780', 'no-software-attribute', 'no-multicast-peers', 'no-tcp-relay', 'fingerprint', 'no-tlsv1', 'no-tlsv1_1']) {
      expect({ flag, set: values(flag).length === 1 }).toEqual({ flag, set: true });
    }
    expect(values('allow-loopback-peers')).toEqual([]);
    expect(Number(value('max-allocate-lifetime'))).toBeLessThanOrEqual(3600);
    expect(Number(value('user-quota'))).toBeGreaterThan(0);
    expect(Number(value('total-quota'))).toBeGreaterThan(Number(value('user-quota')));
    expect(Number(value('max-bps'))).toBeGreaterThan(0);
  });

  it('listens on 3478 and 5349 (TLS) with a bounded relay port range', () => {
    expect(value('listening-port')).toBe('3478');
    expect(value('tls-listening-port')).toBe('5349');
    const [min, max] = [Number(value('min-port')), Number(value('max-port'))];
    expect(min).toBeGreaterThanOrEqual(1024);
    expect(max - min).toBeGreaterThanOrEqual(500);
    expect(max).toBeLessThanOrEqual(65535);
  });

  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback, far end', '127.255.255.254'],
    ['this network', '0.1.2.3'],
    ['private 10/8', '10.1.2.3'],
    ['private 172.16/12', '172.31.255.255'],
    ['private 192.168/16', '192.168.1.1'],
    ['carrier-grade NAT', '100.64.0.1'],
    ['link-local and cloud metadata', '169.254.169.254'],
    ['benchmarking', '198.18.0.1'],
    ['multicast', '224.0.0.251'],
    ['broadcast', '255.255.255.255'],
    ['IPv6 loopback', '::1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['IPv4-mapped metadata', '::ffff:169.254.169.254'],
    ['IPv4-mapped private', '::ffff:10.0.0.1'],
    ['NAT64 of the metadata address', '64:ff9b::a9fe:a9fe'],
    ['6to4 of a private address', '2002:a00:1::1'],
    ['Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
    ['unique local, EC2 metadata', 'fd00:ec2::254'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv6 multicast', 'ff02::1'],
  ])('denies relaying to %s (%s), compared the way coturn 4.6 compares', (_what, address) => {
    expect(deniedBy(address).length).toBeGreaterThan(0);
  });

  it.each([
    ['a public IPv4 address', '8.8.8.8'],
    ['another one', '1.1.1.1'],
    ['just past CGNAT', '100.128.0.1'],
    ['just past 172.16/12', '172.32.0.1'],
    ['a public IPv4 address high in the space', '223.255.255.1'],
    ['a public IPv6 address', '2001:4860:4860::8888'],
    ['another one', '2a00:1450:4001:82b::200e'],
    ['one more', '2606:4700:4700::1111'],
  ])('lets relaying reach %s (%s): no range holds every address of a family', (_what, address) => {
    expect(deniedBy(address)).toEqual([]);
  });

  it('reads address ranges the way coturn does (the model these checks rely on)', () => {
    // A lower bound of :: is no bound, and IPv4 orders below IPv6: such a range holds every IPv4 address.
    expect(coturnRangeHolds(parseRange('::-::ffff:ffff'), parseAddress('8.8.8.8'))).toBe(true);
    expect(coturnRangeHolds(parseRange('0.0.0.0-0.255.255.255'), parseAddress('2001:4860:4860::8888'))).toBe(false);
    expect(coturnRangeHolds(parseRange('10.0.0.0-10.255.255.255'), parseAddress('10.20.30.40'))).toBe(true);
    expect(coturnRangeHolds(parseRange('fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'), parseAddress('fd12::1'))).toBe(true);
  });
});
