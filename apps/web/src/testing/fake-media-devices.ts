/**
 * A scripted camera and microphone (jsdom has no MediaDevices): each
 * getUserMedia hands out fresh tracks the test can mute, unmute or end as the
 * system would, and a shared log shows the order of stops and requests.
 */
export class FakeCaptureTrack extends EventTarget {
  readonly id = Math.random().toString(36).slice(2);
  enabled = true;
  muted = false;
  readyState: MediaStreamTrackState = 'live';
  readonly stop = jest.fn(() => {
    this.readyState = 'ended';
    this.log.push(`stop ${this.label}`);
  });

  constructor(
    readonly kind: 'audio' | 'video',
    readonly label: string,
    private readonly settings: MediaTrackSettings,
    private readonly log: string[],
  ) {
    super();
  }

  getSettings(): MediaTrackSettings {
    return this.settings;
  }

  /** The system paused it (a phone call, the tab in the background). */
  systemMute(): void {
    this.muted = true;
    this.dispatchEvent(new Event('mute'));
  }

  systemUnmute(): void {
    this.muted = false;
    this.dispatchEvent(new Event('unmute'));
  }

  /** The system ended it (another app took the camera, the device went away). */
  systemEnd(): void {
    this.readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }
}

export interface FakeCamera {
  deviceId: string;
  facingMode?: 'user' | 'environment';
}

export class FakeMediaDevices {
  readonly log: string[] = [];
  readonly tracks: FakeCaptureTrack[] = [];
  cameras: FakeCamera[] = [
    { deviceId: 'front', facingMode: 'user' },
    { deviceId: 'back', facingMode: 'environment' },
  ];
  /** Kinds this device lacks: asking for them fails with NotFoundError. */
  readonly missing = new Set<'audio' | 'video'>();

  readonly getUserMedia = jest.fn(async (constraints: MediaStreamConstraints) => {
    const kinds = (['audio', 'video'] as const).filter((kind) => constraints[kind]);
    this.log.push(`getUserMedia ${kinds.join('+')}`);
    if (kinds.some((kind) => this.missing.has(kind))) throw Object.assign(new Error('Requested device not found'), { name: 'NotFoundError' });
    const tracks = kinds.map((kind) => {
      const settings = kind === 'video' ? this.cameraFor(constraints.video as MediaTrackConstraints) : { deviceId: 'mic' };
      const track = new FakeCaptureTrack(kind, `${kind}:${settings.deviceId}`, settings, this.log);
      this.tracks.push(track);
      return track;
    });
    return { getTracks: () => tracks } as unknown as MediaStream;
  });

  readonly enumerateDevices = jest.fn(async () => [
    ...this.cameras.map((camera) => ({ kind: 'videoinput', deviceId: camera.deviceId, label: camera.deviceId })),
    { kind: 'audioinput', deviceId: 'mic', label: 'mic' },
  ]);

  /** The live track of a kind handed out last. */
  latest(kind: 'audio' | 'video'): FakeCaptureTrack | undefined {
    return this.tracks.filter((track) => track.kind === kind).at(-1);
  }

  asMediaDevices(): MediaDevices {
    return this as unknown as MediaDevices;
  }

  private cameraFor(constraints: MediaTrackConstraints): MediaTrackSettings {
    const exact = <T>(value: unknown): T | undefined => (value as { exact?: T } | undefined)?.exact;
    const deviceId = exact<string>(constraints.deviceId);
    const facingMode = exact<string>(constraints.facingMode);
    const camera =
      this.cameras.find((candidate) => (deviceId ? candidate.deviceId === deviceId : facingMode ? candidate.facingMode === facingMode : true)) ??
      this.cameras[0];
    return camera.facingMode ? { deviceId: camera.deviceId, facingMode: camera.facingMode } : { deviceId: camera.deviceId };
  }
}

/** Page visibility the test switches by hand. */
export class FakePageVisibility {
  private listeners: Array<(visible: boolean) => void> = [];
  private shown = true;

  visible(): boolean {
    return this.shown;
  }

  onChange(listener: (visible: boolean) => void): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((existing) => existing !== listener));
  }

  set(visible: boolean): void {
    this.shown = visible;
    for (const listener of this.listeners) listener(visible);
  }

  get listenerCount(): number {
    return this.listeners.length;
  }
}
