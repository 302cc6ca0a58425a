import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { IceServer, SignalData } from '@mesh-meet/protocol';
import {
  CHROMIUM,
  type Coturn,
  createRoom,
  describeIf,
  haveBinaries,
  joinAs,
  launchChromium,
  nextEvent,
  request,
  type ServerProcess,
  startServerProcess,
  startCoturn,
  stopAllChildren,
  type TestSocket,
  TURNSERVER,
  turnCredential,
} from '@mesh-meet/testing';
import {
  acceptAnswer,
  answerOffer,
  closePeer,
  createPeer,
  gather,
  makeOffer,
  selectedPair,
  waitConnected,
  waitFramesDecoded,
} from './webrtc-page';

const available = haveBinaries('the coturn relay suite', [TURNSERVER, CHROMIUM]);

describeIf(available)('coturn with turnserver/turnserver.conf relays media for credentials the server issues', () => {
  const secret = randomBytes(24).toString('hex');
  let coturn: Coturn;
  let server: ServerProcess;
  let browser: Browser;
  const sockets: TestSocket[] = [];
  const pages: Page[] = [];

  beforeAll(async () => {
    coturn = await startCoturn({ secret, allowLoopbackPeers: true });
    server = await startServerProcess({
      TURN_SECRET: secret,
      TURN_URLS: coturn.udpUrl,
      ICE_TRANSPORT_POLICY: 'relay',
    });
    browser = await launchChromium();
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    for (const page of pages.splice(0)) await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await stopAllChildren();
  });

  /** A page on the server's origin (http://127.0.0.1 is a secure context: the camera is allowed). */
  async function openPage(): Promise<Page> {
    const page = await browser.newPage();
    pages.push(page);
    await page.goto(`${server.url}/health`);
    return page;
  }

  async function join(roomId: string, name: string) {
    const joined = await joinAs(server.url, roomId, name);
    sockets.push(joined.socket);
    return joined;
  }

  it('two browsers forced to relay connect through coturn and decode each other’s video', async () => {
    const room = await createRoom(server.url, 'Relay check');
    const ana = await join(room.roomId, 'Ana');
    const ben = await join(room.roomId, 'Ben');

    // What the server issued: relay only, and a coturn REST-API credential per peer.
    for (const { joined } of [ana, ben]) {
      expect(joined.iceTransportPolicy).toBe('relay');
      expect(joined.iceServers).toEqual([
        {
          urls: [coturn.udpUrl],
          username: expect.stringMatching(new RegExp(`^\\d+:${joined.self.peerId}$`)),
          credential: expect.any(String),
        },
      ]);
    }

    const [pageA, pageB] = [await openPage(), await openPage()];
    const config = (iceServers: IceServer[]) => ({ iceServers, iceTransportPolicy: 'relay' as const });
    await createPeer(pageA, config(ana.joined.iceServers), true);
    await createPeer(pageB, config(ben.joined.iceServers), true);

    // Offer and answer travel through the real signaling server.
    const offer = await makeOffer(pageA);
    const offerArrives = nextEvent<{ from: string; data: SignalData }>(ben.socket, 'signal');
    await expect(request(ana.socket, 'signal', { to: ben.joined.self.peerId, data: { description: offer } })).resolves.toEqual({ ok: true });
    const atBen = await offerArrives;
    expect(atBen.from).toBe(ana.joined.self.peerId);
    if (!('description' in atBen.data)) throw new Error('expected a description');
    const answer = await answerOffer(pageB, atBen.data.description as RTCSessionDescriptionInit);
    const answerArrives = nextEvent<{ from: string; data: SignalData }>(ana.socket, 'signal');
    await expect(request(ben.socket, 'signal', { to: ana.joined.self.peerId, data: { description: answer } })).resolves.toEqual({ ok: true });
    const atAna = await answerArrives;
    expect(atAna.from).toBe(ben.joined.self.peerId);
    if (!('description' in atAna.data)) throw new Error('expected a description');
    await acceptAnswer(pageA, atAna.data.description as RTCSessionDescriptionInit);

    // Relay-only offers carry relay candidates only.
    for (const sdp of [offer.sdp, answer.sdp]) {
      const candidates = (sdp ?? '').split('\r\n').filter((line) => line.startsWith('a=candidate:'));
      expect(candidates.length).toBeGreaterThan(0);
      for (const line of candidates) expect(line).toContain(' typ relay');
    }

    await Promise.all([waitConnected(pageA), waitConnected(pageB)]);
    for (const page of [pageA, pageB]) {
      const first = await waitFramesDecoded(page, 0);
      await waitFramesDecoded(page, first + 10);
      const pair = await selectedPair(page);
      expect(pair).toMatchObject({ localType: 'relay', remoteType: 'relay', localAddress: '127.0.0.1', relayProtocol: 'udp' });
    }
    // coturn saw allocations for both peers' credentials.
    for (const { joined } of [ana, ben]) {
      expect(coturn.output()).toContain(`user <${joined.iceServers[0].username}>`);
    }
    await Promise.all([closePeer(pageA), closePeer(pageB)]);
  });

  describe('coturn refuses credentials the server did not issue', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const relayOnly = (credential: { username: string; credential: string }) => ({
      iceServers: [{ urls: [coturn.udpUrl], ...credential }],
      iceTransportPolicy: 'relay' as const,
    });

    it('a valid credential gathers a relay candidate (the control)', async () => {
      const page = await openPage();
      const result = await gather(page, relayOnly(turnCredential(secret, now() + 600, 'control')));
      expect(result.candidateTypes).toContain('relay');
      expect(result.errors).toEqual([]);
    });

    it('a credential signed with another secret gets no relay (401)', async () => {
      const page = await openPage();
      const forged = turnCredential(randomBytes(24).toString('hex'), now() + 600, 'forged');
      const result = await gather(page, relayOnly(forged));
      expect(result.candidateTypes).not.toContain('relay');
      expect(result.errors.map((error) => error.errorCode)).toContain(401);
    });

    it('an expired credential, correctly signed, gets no relay (401)', async () => {
      const page = await openPage();
      const expired = turnCredential(secret, now() - 60, 'expired');
      const result = await gather(page, relayOnly(expired));
      expect(result.candidateTypes).not.toContain('relay');
      expect(result.errors.map((error) => error.errorCode)).toContain(401);
    });
  });
});
