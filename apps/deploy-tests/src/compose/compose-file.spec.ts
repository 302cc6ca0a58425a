import { existsSync, readFileSync } from 'node:fs';
import {
  createRoom,
  joinAs,
  repoPath,
  startServerProcess,
  stopAllChildren,
  WEB_DIR,
} from '@mesh-meet/testing';
import {
  appEnvironmentVariables,
  composeText,
  composeValidator,
  environmentOf,
  envExampleText,
  exampleEnv,
  parseCompose,
  renderCompose,
} from './compose-file';
import { parseDotenv } from './interpolate';

afterAll(stopAllChildren);

describe('docker-compose.yml', () => {
  const validate = composeValidator();

  it('validates against the Compose Specification schema, as written and as rendered with .env.example', () => {
    expect({ valid: validate(parseCompose()), errors: validate.errors }).toEqual({ valid: true, errors: null });
    expect({ valid: validate(renderCompose(exampleEnv())), errors: validate.errors }).toEqual({ valid: true, errors: null });
  });

  it('the schema check is real: it refuses an unknown service key and a malformed healthcheck', () => {
    const broken = parseCompose();
    (broken.services['app'] as Record<string, unknown>)['enviroment'] = { PORT: '3000' };
    (broken.services['mysql'] as { healthcheck: Record<string, unknown> }).healthcheck['interval'] = 'ten seconds';
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath).sort()).toEqual(
      expect.arrayContaining(['/services/app', '/services/mysql/healthcheck/interval']),
    );
  });

  it('wires every variable the app reads into the app service and lists it in .env.example', () => {
    const variables = appEnvironmentVariables();
    expect(variables).toEqual(expect.arrayContaining(['PORT', 'PUBLIC_URL', 'DATABASE_URL', 'TURN_SECRET', 'TRUST_PROXY']));
    expect(variables.length).toBeGreaterThanOrEqual(20);

    const app = environmentOf(parseCompose().services['app']);
    const example = parseDotenv(envExampleText());
    for (const variable of variables) {
      // Wired: the app sees it, and the operator's .env value reaches it.
      expect({ variable, wired: app[variable]?.includes(`\${${variable}`) ?? false }).toEqual({ variable, wired: true });
      expect({ variable, listed: example.has(variable) }).toEqual({ variable, listed: true });
    }
    // Nothing in the app's environment that the app does not read.
    expect(Object.keys(app).filter((key) => !variables.includes(key))).toEqual([]);
  });

  it('uses every variable of .env.example, and each one has a comment', () => {
    const text = composeText();
    const lines = envExampleText().split('\n');
    for (const [variable] of parseDotenv(envExampleText())) {
      expect({ variable, used: text.includes(`\${${variable}`) }).toEqual({ variable, used: true });
      // A comment above it, in the same block (a group of variables may share one).
      let line = lines.findIndex((text) => text.startsWith(`${variable}=`)) - 1;
      while (line >= 0 && lines[line].trim() !== '' && !lines[line].startsWith('#')) line -= 1;
      expect({ variable, commented: line >= 0 && lines[line].startsWith('#') }).toEqual({ variable, commented: true });
    }
  });

  it('ships no secret: .env.example leaves the secrets empty and compose requires them', () => {
    const example = parseDotenv(envExampleText());
    for (const secret of ['TURN_SECRET', 'MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD']) {
      expect({ secret, value: example.get(secret) }).toEqual({ secret, value: '' });
      expect(() => renderCompose(exampleEnv({ [secret]: '' }))).toThrow(new RegExp(secret));
    }
    expect(() => renderCompose(exampleEnv({ DOMAIN: undefined }))).toThrow(/DOMAIN/);
    expect(readFileSync(repoPath('.gitignore'), 'utf8').split('\n')).toContain('.env');
    expect(readFileSync(repoPath('.dockerignore'), 'utf8').split('\n')).toContain('.env');
    // The documented one command that generates them.
    expect(envExampleText()).toContain('openssl rand -hex 32');
  });

  it('renders into one consistent stack: https-portal -> app -> mysql, redis; coturn with the same secret', () => {
    const env = exampleEnv({ DOMAIN: 'meet.example.org' });
    const { services, volumes } = renderCompose(env);
    const app = environmentOf(services['app']);
    const coturn = environmentOf(services['coturn']);
    const portal = environmentOf(services['https-portal']);
    const mysql = environmentOf(services['mysql']);

    expect(services['https-portal'].image).toBe('steveltn/https-portal:1');
    expect(portal['DOMAINS']).toBe(`meet.example.org -> http://app:${app['PORT']}`);
    expect(portal['WEBSOCKET']).toBe('true');
    expect(portal['STAGE']).toBe('production');
    expect(services['https-portal']['ports']).toEqual(['80:80', '443:443']);

    expect(services['app'].build).toBe('.');
    expect(services['app']['ports']).toBeUndefined();
    expect(services['app']['healthcheck']).toMatchObject({ test: ['CMD', 'node', '/app/healthcheck.mjs'] });
    expect(services['app']['depends_on']).toEqual({
      mysql: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(app).toMatchObject({
      PUBLIC_URL: 'https://meet.example.org',
      DATABASE_URL: `mysql://meet:${env['MYSQL_PASSWORD']}@mysql:3306/meet`,
      REDIS_URL: 'redis://redis:6379',
      STUN_URLS: 'stun:meet.example.org:3478',
      TURN_URLS:
        'turn:meet.example.org:3478?transport=udp,turn:meet.example.org:3478?transport=tcp,turns:meet.example.org:5349?transport=tcp',
      TURN_SECRET: env['TURN_SECRET'],
      TRUST_PROXY: '1',
      NODE_ID: 'app-1',
    });

    expect(services['mysql'].image).toBe('mysql:8.4');
    expect(mysql).toMatchObject({ MYSQL_DATABASE: 'meet', MYSQL_USER: 'meet', MYSQL_PASSWORD: env['MYSQL_PASSWORD'] });
    expect(services['mysql']['volumes']).toEqual(['mysql-data:/var/lib/mysql']);
    expect(services['mysql']['healthcheck']).toBeDefined();
    expect(services['redis'].image).toMatch(/^redis:7(\.|$)/);
    expect(services['redis']['healthcheck']).toBeDefined();

    expect(services['coturn'].image).toMatch(/^coturn\/coturn:\d+\.\d+\.\d+$/);
    expect(services['coturn']['network_mode']).toBe('host');
    expect(coturn).toMatchObject({
      TURN_SECRET: app['TURN_SECRET'],
      TURN_REALM: 'meet.example.org',
      TURN_CERT_DIR: '/var/lib/https-portal/meet.example.org/production',
    });
    expect(services['coturn']['volumes']).toEqual([
      './turnserver:/etc/coturn:ro',
      'https-portal-data:/var/lib/https-portal:ro',
    ]);
    expect(services['coturn']['entrypoint']).toEqual(['/bin/sh', '/etc/coturn/entrypoint.sh']);
    expect(existsSync(repoPath('turnserver/entrypoint.sh'))).toBe(true);
    expect(existsSync(repoPath('turnserver/turnserver.conf'))).toBe(true);
    expect(Object.keys(volumes ?? {}).sort()).toEqual(['https-portal-data', 'mysql-data']);
  });

  it("the app's rendered environment is a configuration the built server accepts and serves TURN with", async () => {
    const env = environmentOf(renderCompose(exampleEnv({ DOMAIN: 'meet.example.org' })).services['app']);
    // Only what needs the other containers is swapped for local stand-ins.
    delete env['REDIS_URL'];
    delete env['PORT'];
    delete env['HOST'];
    delete env['DATA_DIR'];
    delete env['DATABASE_URL'];
    env['WEB_DIR'] = WEB_DIR;
    const server = await startServerProcess(env);
    const room = await createRoom(server.url, 'Compose check');
    expect(room.guestUrl).toMatch(/^https:\/\/meet\.example\.org\/r\//);
    const { socket, joined } = await joinAs(server.url, room.roomId, 'Operator');
    socket.disconnect();
    expect(joined.iceTransportPolicy).toBe('all');
    expect(joined.iceServers).toEqual([
      { urls: ['stun:meet.example.org:3478'] },
      expect.objectContaining({
        urls: [
          'turn:meet.example.org:3478?transport=udp',
          'turn:meet.example.org:3478?transport=tcp',
          'turns:meet.example.org:5349?transport=tcp',
        ],
        username: expect.stringMatching(new RegExp(`^\\d+:${joined.self.peerId}$`)),
      }),
    ]);
    await server.stop();
  });
});
