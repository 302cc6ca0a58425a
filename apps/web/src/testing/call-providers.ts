import type { Provider } from '@angular/core';
import { CallService } from '../app/call/call.service';
import { CallStore } from '../app/call/call.store';
import { LocalMediaService } from '../app/call/local-media.service';
import { QualityStore } from '../app/call/quality/quality.store';
import { SignalingClient } from '../app/call/signaling.client';
import { SOCKET_FACTORY, type SignalingSocket } from '../app/call/socket.factory';
import { APP_ORIGIN, MEDIA_DEVICES, MEDIA_STREAM_FACTORY, MemoryStorage, PEER_CONNECTION_FACTORY, STORAGE } from '../app/core/browser.tokens';
import { FakeMediaStream, FakePeerConnection } from './fake-peer-connection';

/**
 * A whole call for a spec, as the meeting page provides it, over fakes: the
 * given devices and socket, scripted peer connections, memory storage.
 * `extra` adds or overrides providers (a fake page visibility, say).
 */
export function callProviders(options: { devices: MediaDevices | undefined; socket: () => SignalingSocket; extra?: Provider[] }): Provider[] {
  return [
    CallService,
    CallStore,
    LocalMediaService,
    QualityStore,
    SignalingClient,
    { provide: APP_ORIGIN, useValue: 'https://meet.example' },
    { provide: STORAGE, useValue: new MemoryStorage() },
    { provide: MEDIA_DEVICES, useValue: options.devices },
    { provide: MEDIA_STREAM_FACTORY, useValue: () => new FakeMediaStream() },
    { provide: PEER_CONNECTION_FACTORY, useValue: (configuration: RTCConfiguration) => new FakePeerConnection(configuration) },
    { provide: SOCKET_FACTORY, useValue: options.socket },
    ...(options.extra ?? []),
  ];
}
