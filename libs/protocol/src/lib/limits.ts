/** Limits shared by the server (enforced) and the browser (respected). */
export const LIMITS = {
  /** Display names are trimmed, then must have 1..40 characters. */
  nameMaxLength: 40,
  /** Meeting names are optional; trimmed, at most 80 characters. */
  roomNameMaxLength: 80,
  /**
   * Socket.IO `maxHttpBufferSize`. A browser offer with audio, video, a data
   * channel and simulcast is 5-10 KB; 64 KiB leaves room without letting one
   * message cost real memory.
   */
  maxMessageBytes: 64 * 1024,
  /** Longest SDP accepted inside a `signal` (characters). */
  sdpMaxLength: 48 * 1024,
  /** Longest ICE candidate line accepted (characters). */
  candidateMaxLength: 1024,
  /** The other fields of an ICE candidate: media id length, m-line index, ICE username fragment length. */
  sdpMidMaxLength: 64,
  sdpMLineIndexMax: 1024,
  usernameFragmentMaxLength: 256,
  /** Server-issued peer ids: url-safe random strings of this many characters. */
  peerIdMinLength: 8,
  peerIdMaxLength: 32,
  /** Mesh rooms: default capacity and the highest an operator may configure. */
  defaultMaxParticipants: 6,
  maxParticipantsCeiling: 12,
  /** Longest identity token accepted in `join` (the server issues about 80 characters). */
  identityTokenMaxLength: 256,
  /** Chat messages (text, never HTML). */
  chatMaxLength: 1000,
  /** `quality`: a browser sends a link's sample at most this often (ms); the server allows a small burst per link above it. */
  qualityIntervalMs: 10_000,
  /** `quality`: samples in one message, one per other person in the room. */
  qualitySamplesPerMessage: 11,
  /** `quality`: the longest window one sample may cover (s), e.g. after the tab was hidden. */
  qualityWindowMaxSec: 600,
  /** `quality`: the highest bitrate a sample may report (bit/s). */
  qualityBitrateMax: 1_000_000_000,
} as const;
