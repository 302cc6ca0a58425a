import { callSupport } from './call-support';

const camera = { getUserMedia: async () => ({}) as MediaStream };

describe('callSupport', () => {
  it('lets a browser with WebRTC and a camera API on a secure page join and send', () => {
    expect(callSupport({ peerConnection: true, secureContext: true, mediaDevices: camera })).toEqual({
      canJoin: true,
      canCapture: true,
      missing: null,
    });
  });

  it('keeps a browser without RTCPeerConnection out: it could never connect to anyone', () => {
    expect(callSupport({ peerConnection: false, secureContext: true, mediaDevices: camera })).toMatchObject({ canJoin: false, missing: 'webrtc' });
  });

  it('sends a page opened over plain http to its https address first, even where WebRTC is missing too', () => {
    expect(callSupport({ peerConnection: false, secureContext: false, mediaDevices: undefined })).toMatchObject({
      canJoin: false,
      missing: 'insecure',
    });
  });

  it('lets a browser that can receive but not capture join to watch and listen', () => {
    for (const mediaDevices of [undefined, {} as typeof camera]) {
      expect(callSupport({ peerConnection: true, secureContext: true, mediaDevices })).toEqual({
        canJoin: true,
        canCapture: false,
        missing: 'capture',
      });
    }
  });
});
