import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({}, 'my-host');
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      database: { kind: 'sqlite', path: './data/meetings.sqlite' },
      redisUrl: undefined,
      maxParticipants: 6,
      allowedOrigins: ['http://localhost:3000'],
      logLevel: 'info',
      nodeId: 'my-host',
    });
    expect(config.trustProxy('127.0.0.1', 0)).toBe(false);
    expect(config.ice).toEqual({
      stunUrls: [],
      turnUrls: [],
      turnSecret: undefined,
      turnTtlSeconds: 21600,
      transportPolicy: 'all',
    });
  });

  it('reads MySQL, Redis, TURN and origins from the environment', () => {
    const config = loadConfig({
      PUBLIC_URL: 'https://meet.example.org/',
      DATABASE_URL: 'mysql://app:pw@db:3306/meet',
      REDIS_URL: 'redis://redis:6379',
      STUN_URLS: 'stun:meet.example.org:3478',
      TURN_URLS: 'turn:meet.example.org:3478?transport=udp, turns:meet.example.org:5349',
      TURN_SECRET: 'a-long-enough-secret',
      TURN_TTL: '3600',
      MAX_PARTICIPANTS: '12',
      ALLOWED_ORIGINS: 'https://other.example.org/path',
      TRUST_PROXY: '1',
    });
    expect(config.publicUrl).toBe('https://meet.example.org');
    expect(config.database).toMatchObject({ kind: 'mysql', url: 'mysql://app:pw@db:3306/meet' });
    expect(config.ice.turnUrls).toEqual(['turn:meet.example.org:3478?transport=udp', 'turns:meet.example.org:5349']);
    expect(config.allowedOrigins).toEqual(['https://meet.example.org', 'https://other.example.org']);
    expect(config.maxParticipants).toBe(12);
    // One trusted hop: the socket peer is the proxy, the next address is the client.
    expect([config.trustProxy('10.0.0.2', 0), config.trustProxy('203.0.113.9', 1)]).toEqual([true, false]);
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['MAX_PARTICIPANTS', { MAX_PARTICIPANTS: '13' }],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://x' }],
    ['REDIS_URL', { REDIS_URL: 'localhost:6379' }],
    ['TURN_URLS', { TURN_URLS: 'http://x', TURN_SECRET: 'a-long-enough-secret' }],
    ['TURN_SECRET', { TURN_URLS: 'turn:x:3478' }],
    ['TURN_SECRET', { TURN_SECRET: 'short' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['ICE_TRANSPORT_POLICY', { ICE_TRANSPORT_POLICY: 'relay' }],
    ['ALLOWED_ORIGINS', { ALLOWED_ORIGINS: 'not a url' }],
    ['IDENTITY_SECRET', { IDENTITY_SECRET: 'short-identity-secret' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'proxy.example.org' }],
    ['FRAME_ANCESTORS', { FRAME_ANCESTORS: 'javascript:alert(1)' }],
  ])('stops with a message naming %s', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(variable));
  });

  it('limits sockets per address and the time to join, 50 and 120 s unless set', () => {
    expect(loadConfig({}).connectionLimits).toEqual({ maxSocketsPerAddress: 50, joinDeadlineMs: 120_000 });
    expect(loadConfig({ MAX_SOCKETS_PER_ADDRESS: '5', JOIN_DEADLINE_MS: '30000' }).connectionLimits).toEqual({
      maxSocketsPerAddress: 5,
      joinDeadlineMs: 30_000,
    });
    expect(() => loadConfig({ MAX_SOCKETS_PER_ADDRESS: '0' })).toThrow(/MAX_SOCKETS_PER_ADDRESS/);
    expect(() => loadConfig({ JOIN_DEADLINE_MS: 'soon' })).toThrow(/JOIN_DEADLINE_MS/);
  });

  it('trusts the proxies TRUST_PROXY lists by address or subnet, as Express does', () => {
    const { trustProxy } = loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' });
    expect([trustProxy('127.0.0.1', 0), trustProxy('10.1.2.3', 1), trustProxy('203.0.113.9', 1)]).toEqual([true, true, false]);
  });

  it('never puts a secret value into its error message', () => {
    const secret = 'my-secret-password-value';
    try {
      loadConfig({ TURN_SECRET: secret, IDENTITY_SECRET: secret, PORT: 'bad' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(String(error)).not.toContain(secret);
    }
  });
});
