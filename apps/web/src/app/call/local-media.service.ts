import { Injectable, type OnDestroy, computed, inject, signal } from '@angular/core';
import { MEDIA_DEVICES } from '../core/browser.tokens';

export type MediaProblem = 'insecure' | 'denied' | 'no-devices' | 'no-camera' | 'no-mic' | 'in-use' | 'failed';

export interface DeviceOption {
  deviceId: string;
  label: string;
}

const CAMERA: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
const MICROPHONE: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/**
 * This browser's camera, microphone and screen. Tracks are owned here and
 * stopped here; the call puts whichever is current on every peer's sender.
 * A missing or refused device is a `problem` to show, never a dead end:
 * joining with what is available (or nothing) still works.
 */
@Injectable()
export class LocalMediaService implements OnDestroy {
  private readonly devices = inject(MEDIA_DEVICES);

  // Writable state stays in here; the rest of the app reads it through the readonly signals below.
  private readonly _micTrack = signal<MediaStreamTrack | null>(null);
  private readonly _cameraTrack = signal<MediaStreamTrack | null>(null);
  private readonly _screenTrack = signal<MediaStreamTrack | null>(null);
  private readonly _micEnabled = signal(true);
  private readonly _cameraWanted = signal(true);
  private readonly cameraStarting = signal(false);
  private readonly micStarting = signal(false);
  private readonly _problem = signal<MediaProblem | null>(null);
  private readonly _cameras = signal<DeviceOption[]>([]);
  private readonly _microphones = signal<DeviceOption[]>([]);
  private readonly _speakers = signal<DeviceOption[]>([]);
  private readonly _cameraId = signal<string | null>(null);
  private readonly _microphoneId = signal<string | null>(null);
  private readonly _speakerId = signal<string | null>(null);

  readonly micTrack = this._micTrack.asReadonly();
  readonly cameraTrack = this._cameraTrack.asReadonly();
  readonly screenTrack = this._screenTrack.asReadonly();
  /** Muting keeps the microphone track (quick to unmute) but sends silence. */
  readonly micEnabled = this._micEnabled.asReadonly();
  /** What the person asked for; a device still starting ends up as asked, not as it was when clicked. */
  readonly cameraWanted = this._cameraWanted.asReadonly();
  readonly problem = this._problem.asReadonly();
  readonly cameras = this._cameras.asReadonly();
  readonly microphones = this._microphones.asReadonly();
  readonly speakers = this._speakers.asReadonly();
  readonly cameraId = this._cameraId.asReadonly();
  readonly microphoneId = this._microphoneId.asReadonly();
  readonly speakerId = this._speakerId.asReadonly();

  /** What goes out as video: the screen while sharing, else the camera. */
  readonly outgoingVideo = computed(() => this.screenTrack() ?? this.cameraTrack());
  readonly outgoingAudio = computed(() => this.micTrack());
  readonly cameraOn = computed(() => this.cameraTrack() !== null);
  /** For buttons: on while the camera runs or is starting at the person's request. */
  readonly cameraShownOn = computed(() => this.cameraWanted() && (this.cameraOn() || this.cameraStarting()));
  readonly micShownOn = computed(() => this.micEnabled() && (this.micTrack() !== null || this.micStarting()));
  readonly micOn = computed(() => this.micTrack() !== null && this.micEnabled());
  readonly sharing = computed(() => this.screenTrack() !== null);
  readonly canShareScreen = !!this.devices && 'getDisplayMedia' in this.devices;
  readonly canChooseSpeaker =
    typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

  /** A stream of the current camera (and microphone) for the preview and own tile. */
  readonly previewStream = computed(() => {
    const tracks = [this.cameraTrack()].filter((track): track is MediaStreamTrack => track !== null);
    return tracks.length && typeof MediaStream !== 'undefined' ? new MediaStream(tracks) : null;
  });

  /** Asks for camera and microphone, falling back to whichever exists. */
  async start(want: { audio: boolean; video: boolean } = { audio: true, video: true }): Promise<void> {
    if (!this.devices?.getUserMedia) {
      this._problem.set('insecure');
      return;
    }
    this._problem.set(null);
    if (want.audio && !this.micTrack()) await this.openMicrophone();
    if (want.video && this.cameraWanted() && !this.cameraTrack()) await this.openCamera();
    await this.refreshDevices();
  }

  /** The camera button: off while on or starting; on (or retry) otherwise. */
  toggleCamera(): Promise<boolean> {
    return this.setCameraEnabled(!this.cameraShownOn());
  }

  /** The microphone button: mute while on or starting; unmute (or retry) otherwise. */
  toggleMic(): Promise<boolean> {
    return this.setMicEnabled(!this.micShownOn());
  }

  async setCameraEnabled(on: boolean): Promise<boolean> {
    this._cameraWanted.set(on);
    if (!on) {
      this.stopTrack(this._cameraTrack);
      return true;
    }
    return this.cameraTrack() ? true : this.openCamera();
  }

  async setMicEnabled(on: boolean): Promise<boolean> {
    this._micEnabled.set(on);
    const track = this.micTrack();
    if (track) track.enabled = on;
    else if (on && !this.micStarting()) return this.openMicrophone();
    return true;
  }

  async selectCamera(deviceId: string): Promise<void> {
    this._cameraId.set(deviceId);
    if (this.cameraTrack()) await this.openCamera();
  }

  async selectMicrophone(deviceId: string): Promise<void> {
    this._microphoneId.set(deviceId);
    if (this.micTrack()) await this.openMicrophone();
  }

  selectSpeaker(deviceId: string): void {
    this._speakerId.set(deviceId);
  }

  /** Starts sharing the screen; the browser's own "stop sharing" button ends it too. */
  async startScreenShare(): Promise<boolean> {
    if (!this.devices?.getDisplayMedia) return false;
    try {
      const stream = await this.devices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false });
      const [track] = stream.getVideoTracks();
      if (!track) return false;
      track.contentHint = 'detail';
      track.addEventListener('ended', () => {
        if (this.screenTrack() === track) this._screenTrack.set(null);
      });
      this.stopTrack(this._screenTrack);
      this._screenTrack.set(track);
      return true;
    } catch {
      return false;
    }
  }

  stopScreenShare(): void {
    this.stopTrack(this._screenTrack);
  }

  /** Stops every track: the camera light goes off. */
  stopAll(): void {
    this.stopTrack(this._micTrack);
    this.stopTrack(this._cameraTrack);
    this.stopTrack(this._screenTrack);
  }

  ngOnDestroy(): void {
    this.stopAll();
  }

  private async openCamera(): Promise<boolean> {
    const deviceId = this.cameraId();
    this.cameraStarting.set(true);
    const track = await this.open('video', deviceId ? { ...CAMERA, deviceId: { exact: deviceId } } : CAMERA).finally(() =>
      this.cameraStarting.set(false),
    );
    if (!track) return false;
    if (!this.cameraWanted()) {
      // Turned off while it was starting.
      track.stop();
      return false;
    }
    this.stopTrack(this._cameraTrack);
    this._cameraTrack.set(track);
    this._cameraId.set(track.getSettings().deviceId ?? deviceId);
    return true;
  }

  private async openMicrophone(): Promise<boolean> {
    const deviceId = this.microphoneId();
    this.micStarting.set(true);
    const track = await this.open('audio', deviceId ? { ...MICROPHONE, deviceId: { exact: deviceId } } : MICROPHONE).finally(
      () => this.micStarting.set(false),
    );
    if (!track) return false;
    track.enabled = this.micEnabled();
    this.stopTrack(this._micTrack);
    this._micTrack.set(track);
    this._microphoneId.set(track.getSettings().deviceId ?? deviceId);
    return true;
  }

  private async open(kind: 'audio' | 'video', constraints: MediaTrackConstraints): Promise<MediaStreamTrack | null> {
    if (!this.devices?.getUserMedia) {
      this._problem.set('insecure');
      return null;
    }
    try {
      const stream = await this.devices.getUserMedia({ [kind]: constraints });
      const track = stream.getTracks().find((candidate) => candidate.kind === kind) ?? null;
      track?.addEventListener('ended', () => {
        // Unplugged or revoked: show it as off rather than a frozen picture.
        if (this.cameraTrack() === track) this._cameraTrack.set(null);
        if (this.micTrack() === track) this._micTrack.set(null);
      });
      return track;
    } catch (error) {
      this._problem.set(problemOf(error, kind, this.problem()));
      return null;
    }
  }

  private async refreshDevices(): Promise<void> {
    if (!this.devices?.enumerateDevices) return;
    try {
      const all = await this.devices.enumerateDevices();
      const options = (kind: MediaDeviceKind) =>
        all
          .filter((device) => device.kind === kind && device.deviceId)
          .map((device, index) => ({ deviceId: device.deviceId, label: device.label || `${kind} ${index + 1}` }));
      this._cameras.set(options('videoinput'));
      this._microphones.set(options('audioinput'));
      this._speakers.set(options('audiooutput'));
    } catch {
      // Device lists are a convenience; the defaults still work.
    }
  }

  private stopTrack(holder: { (): MediaStreamTrack | null; set(value: MediaStreamTrack | null): void }): void {
    holder()?.stop();
    holder.set(null);
  }
}

function problemOf(error: unknown, kind: 'audio' | 'video', previous: MediaProblem | null): MediaProblem {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotReadableError' || name === 'AbortError') return 'in-use';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    const missing = kind === 'video' ? 'no-camera' : 'no-mic';
    return (previous === 'no-mic' && missing === 'no-camera') || (previous === 'no-camera' && missing === 'no-mic')
      ? 'no-devices'
      : missing;
  }
  return 'failed';
}
