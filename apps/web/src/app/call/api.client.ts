import { Injectable, inject } from '@angular/core';
import type { CreateRoomResponse, RoomInfo } from '@mesh-meet/protocol';
import { type ErrorCode, isErrorCode } from '@mesh-meet/protocol/core';
import { APP_ORIGIN } from '../core/browser.tokens';
import type { AccessMode } from './call.store';

/** A failed API call: the protocol's code, or 'network' when the server was not reached. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'network',
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The REST API (`/api`), with every response parsed by its schema. */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly origin = inject(APP_ORIGIN);

  async createRoom(name: string, access: AccessMode = 'open'): Promise<CreateRoomResponse> {
    const body = await this.request('POST', '/api/rooms', { ...(name.trim() ? { name: name.trim() } : {}), access });
    return (await schemas()).createRoomResponseSchema.parse(body);
  }

  async room(roomId: string): Promise<RoomInfo> {
    const body = await this.request('GET', `/api/rooms/${encodeURIComponent(roomId)}`);
    return (await schemas()).roomInfoSchema.parse(body);
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.origin}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError('network', 'the server could not be reached');
    }
    const payload: unknown = await response.json().catch(() => null);
    if (response.ok) return payload;
    const code = (payload as { code?: unknown } | null)?.code;
    throw new ApiError(isErrorCode(code) ? code : 'UNAVAILABLE', `HTTP ${response.status}`);
  }
}

/**
 * The schemas (and zod) load on first use rather than with the home page:
 * the first paint needs none of them, and the meeting page shares the chunk.
 */
function schemas() {
  return import('./rest-schemas');
}
