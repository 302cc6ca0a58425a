import { blockedPortsRuleset, lossRuleset, rateCapArgs, removeRateCapArgs, routerRuleset } from './rules';

const lines = (script: string) => script.split('\n').map((line) => line.trim());

describe('router rulesets', () => {
  it('replace only the lab table, in one transaction', () => {
    const script = routerRuleset('home');
    expect(lines(script).slice(0, 3)).toEqual(['table ip mmlab_nat {}', 'delete table ip mmlab_nat', 'table ip mmlab_nat {']);
    expect(script).not.toMatch(/flush ruleset/);
  });

  it('keep ports at home and draw random ones on a carrier', () => {
    expect(lines(routerRuleset('home'))).toContain('oifname "wan" masquerade');
    expect(lines(routerRuleset('carrier'))).toContain('oifname "wan" masquerade random');
  });

  it('let nothing in that the inside did not start', () => {
    for (const kind of ['home', 'carrier', 'udp-blocked'] as const) {
      const rules = lines(routerRuleset(kind));
      expect(rules).toContain('type filter hook forward priority filter; policy drop;');
      expect(rules).toContain('ct state established,related accept');
      expect(rules.filter((rule) => rule.startsWith('iifname "wan"'))).toEqual(['iifname "wan" ct state new,invalid drop']);
    }
  });

  it('drop what arrives unasked for the router itself, so it never holds a public port', () => {
    const script = routerRuleset('home');
    expect(script).toMatch(/chain input \{\n\s+type filter hook input priority filter; policy accept;\n\s+iifname "wan" ct state new,invalid drop/);
  });

  it('let only TCP out of a UDP-blocked network', () => {
    const rules = lines(routerRuleset('udp-blocked'));
    expect(rules).toContain('iifname "lan" oifname "wan" meta l4proto tcp accept');
    expect(rules).not.toContain('iifname "lan" oifname "wan" accept');
  });
});

describe('loss', () => {
  it('drops a percentage of each direction with a random draw per packet', () => {
    const rules = lines(lossRuleset({ uplinkPercent: 5, downlinkPercent: 2 }));
    expect(rules).toContain('iifname "lan" oifname "wan" numgen random mod 100 < 5 drop');
    expect(rules).toContain('iifname "wan" oifname "lan" numgen random mod 100 < 2 drop');
  });

  it('runs before the NAT filter, so a dropped packet never reaches it', () => {
    expect(lines(lossRuleset({ uplinkPercent: 5 }))).toContain('type filter hook forward priority filter - 10; policy accept;');
  });

  it('with no loss keeps an empty chain (clearing earlier loss)', () => {
    expect(lossRuleset({}).match(/drop/g)).toBeNull();
  });

  it('refuses what is not a whole percentage', () => {
    expect(() => lossRuleset({ uplinkPercent: 101 })).toThrow(/uplinkPercent/);
    expect(() => lossRuleset({ downlinkPercent: 2.5 })).toThrow(/downlinkPercent/);
  });
});

describe('rate caps', () => {
  it('shape the uplink on wan and the downlink on lan with a token bucket', () => {
    expect(rateCapArgs('uplink', 500)).toEqual(['qdisc', 'replace', 'dev', 'wan', 'root', 'tbf', 'rate', '500kbit', 'burst', '6250', 'latency', '200ms']);
    expect(rateCapArgs('downlink', 2000).slice(0, 8)).toEqual(['qdisc', 'replace', 'dev', 'lan', 'root', 'tbf', 'rate', '2000kbit']);
    expect(removeRateCapArgs('uplink')).toEqual(['qdisc', 'del', 'dev', 'wan', 'root']);
  });

  it('keep a bucket of a few packets even for a slow link', () => {
    expect(rateCapArgs('uplink', 64)[9]).toBe('4096');
  });

  it('refuse a rate that is not a positive whole number', () => {
    expect(() => rateCapArgs('uplink', 0)).toThrow(/positive/);
  });
});

describe('blocked ports', () => {
  it('drop TCP to and from the ports on the host, and nothing once the list is empty', () => {
    const cut = lines(blockedPortsRuleset([8080]));
    expect(cut).toContain('tcp dport { 8080 } drop');
    expect(cut).toContain('tcp sport { 8080 } drop');
    expect(lines(blockedPortsRuleset([])).filter((line) => line.includes('drop'))).toEqual([]);
  });

  it('refuse what is not a port', () => {
    expect(() => blockedPortsRuleset([0])).toThrow(/not a TCP port/);
    expect(() => blockedPortsRuleset([70000])).toThrow(/not a TCP port/);
  });
});
