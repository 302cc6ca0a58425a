import { Injectable, inject } from '@angular/core';
import { STORAGE } from './browser.tokens';

const IDENTITY = 'mesh-meet.identity';
/** Before the server issued identities the browser chose a userId; it means nothing now. */
const OLD_USER_ID = 'mesh-meet.userId';
const NAME = 'mesh-meet.name';
const HOST_KEY = (roomId: string) => `mesh-meet.hostKey.${roomId}`;

/**
 * What this browser remembers: its anonymous identity (issued and signed by the
 * server at the first join), the last name typed, and host keys of meetings it created
 * or opened with a host link, so a host who reloads stays the host.
 */
@Injectable({ providedIn: 'root' })
export class IdentityStore {
  private readonly storage = inject(STORAGE);

  /** The token the server issued at an earlier join (`self.identity`), sent with the next one. */
  get identity(): string | undefined {
    return this.storage.getItem(IDENTITY) ?? undefined;
  }

  set identity(value: string | undefined) {
    if (!value) return;
    this.storage.setItem(IDENTITY, value);
    this.storage.removeItem(OLD_USER_ID);
  }

  get name(): string {
    return this.storage.getItem(NAME) ?? '';
  }

  set name(value: string) {
    this.storage.setItem(NAME, value.trim());
  }

  hostKey(roomId: string): string | undefined {
    return this.storage.getItem(HOST_KEY(roomId)) ?? undefined;
  }

  rememberHostKey(roomId: string, hostKey: string): void {
    this.storage.setItem(HOST_KEY(roomId), hostKey);
  }

  forgetHostKey(roomId: string): void {
    this.storage.removeItem(HOST_KEY(roomId));
  }
}
