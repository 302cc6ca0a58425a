import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { loadOrCreateServerSecret } from './server-secret';

/** What the server gives a browser to keep: its user id, and the proof that the server issued it. */
export interface Identity {
  userId: string;
  /** `<userId>.<base64url HMAC-SHA256>`; the browser sends it back instead of choosing a userId. */
  token: string;
}

const TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;
/* Domain separation: a signature made here means nothing to any other use of the same secret. */
const CONTEXT = 'mesh-meet identity v1\n';

/**
 * Issues and checks the identities of browsers, so that attendance names
 * whom the server issued and nobody can claim another person's userId.
 * Stateless: a token is the userId and its HMAC under the server's secret
 * (IDENTITY_SECRET, or one kept in the database), so every process and every
 * restart verifies what any of them issued.
 */
@Injectable()
export class IdentityService {
  private key: Promise<Buffer> | undefined;

  constructor(
    private readonly database: DatabaseService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'identitySecret'>,
  ) {}

  /** A new identity. Throws DatabaseUnavailableError while the stored secret cannot be read. */
  async issue(): Promise<Identity> {
    const userId = randomUUID();
    return { userId, token: await this.tokenFor(userId) };
  }

  /** The token of an identity this server issued (a resumed join hands it out again). */
  async tokenFor(userId: string): Promise<string> {
    return `${userId}.${sign(await this.secret(), userId)}`;
  }

  /**
   * The userId a token was issued for, or null when the server did not issue
   * it (forged, altered, another secret, not a token). Throws
   * DatabaseUnavailableError while the stored secret cannot be read.
   */
  async verify(token: unknown): Promise<string | null> {
    if (typeof token !== 'string') return null;
    const match = TOKEN.exec(token);
    if (!match) return null;
    const [, userId, signature] = match;
    // Compared as text, not decoded: the last base64url character has spare
    // bits, so decoding would accept altered spellings of a valid signature.
    const expected = Buffer.from(sign(await this.secret(), userId));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
  }

  /** Loaded once; a failed load is retried by the next call. */
  private secret(): Promise<Buffer> {
    this.key ??= this.load().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  private async load(): Promise<Buffer> {
    const configured = this.config.identitySecret;
    return configured ? Buffer.from(configured, 'utf8') : loadOrCreateServerSecret(this.database, 'identity');
  }
}

function sign(key: Buffer, userId: string): string {
  return createHmac('sha256', key).update(CONTEXT + userId).digest('base64url');
}
