import { TestBed } from '@angular/core/testing';
import type { JoinAck } from '@mesh-meet/protocol';
import { callProviders } from '../../testing/call-providers';
import { FakeMediaDevices, FakePageVisibility } from '../../testing/fake-media-devices';
import { FakePeerConnection } from '../../testing/fake-peer-connection';
import { FakeSocket } from '../../testing/fake-socket';
import { PAGE_VISIBILITY } from '../core/browser.tokens';
import { CallService } from './call.service';
import { LocalMediaService } from './local-media.service';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const ACK: JoinAck = {
  ok: true,
  self: { peerId: 'self-0001', role: 'guest', userId: '3f0c7a2e-8c1b-4d5e-9f6a-1b2c3d4e5f60', identity: 'issued', resumeToken: 'token', resumed: false },
  room: { roomId: 'abc-defg-hij', name: 'Sync', access: 'open', locked: false, maxParticipants: 6 },
  peers: [],
  iceServers: [],
  iceTransportPolicy: 'all',
  upstreamBudgetBps: 2_500_000,
};

/**
 * What a phone does to its camera reaches the others through the call: a new
 * track goes onto the existing sender with replaceTrack (no renegotiation),
 * and a camera the system took shows as off on their side.
 */
describe('the call and a phone camera', () => {
  let devices: FakeMediaDevices;
  let visibility: FakePageVisibility;
  let socket: FakeSocket;
  let media: LocalMediaService;

  beforeEach(async () => {
    devices = new FakeMediaDevices();
    visibility = new FakePageVisibility();
    socket = new FakeSocket();
    socket.answer = (event) => (event === 'join' ? ACK : { ok: true });
    FakePeerConnection.created = [];
    TestBed.configureTestingModule({
      providers: callProviders({
        devices: devices.asMediaDevices(),
        socket: () => socket.asSocket(),
        extra: [{ provide: PAGE_VISIBILITY, useValue: visibility }],
      }),
    });
    media = TestBed.inject(LocalMediaService);
    const call = TestBed.inject(CallService);
    await media.start();
    const joining = call.join({ roomId: 'abc-defg-hij', name: 'Ann' });
    socket.fire('connect');
    await joining;
    // Someone joins after us: we offer, on transceivers that carry our tracks.
    socket.fire('peer-joined', { peerId: 'member-0002', name: 'Ben', role: 'guest', media: { audio: true, video: true, screen: false } });
    TestBed.tick();
    await settle();
  });

  afterEach(() => TestBed.inject(CallService).leave());

  function videoSender() {
    return FakePeerConnection.created[0].transceivers[1].sender;
  }

  function lastMediaState() {
    return socket.sent('media-state').at(-1)?.[0];
  }

  it('puts the back camera on the existing sender with replaceTrack when the person switches', async () => {
    expect(videoSender().track).toBe(devices.latest('video'));
    await media.switchCamera();
    TestBed.tick();
    await settle();
    const back = devices.latest('video');
    expect(back?.getSettings().facingMode).toBe('environment');
    expect(videoSender().replaceTrack).toHaveBeenLastCalledWith(back);
    expect(FakePeerConnection.created[0].calls.filter((call) => call.startsWith('setLocalDescription'))).toHaveLength(0);
  });

  it('tells the others the camera is off while the system holds it, and puts the new capture back when the page returns', async () => {
    devices.latest('video')?.systemMute();
    TestBed.tick();
    await settle();
    expect(lastMediaState()).toEqual({ audio: true, video: false, screen: false });

    visibility.set(true);
    await settle();
    TestBed.tick();
    await settle();
    expect(videoSender().track).toBe(devices.latest('video'));
    expect(devices.tracks.filter((track) => track.kind === 'video')).toHaveLength(2);
    expect(lastMediaState()).toEqual({ audio: true, video: true, screen: false });
  });
});
