import { Injectable, type OnDestroy, computed, inject, signal } from '@angular/core';
import { MEDIA_DEVICES, PAGE_VISIBILITY } from '../core/browser.tokens';

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
 *
 * Phones shape how capture is done here:
 * - Capture once and reuse: camera and microphone are asked for in one
 *   getUserMedia and the tracks are kept from the lobby into the call. iOS
 *   Safari ends a running track of a kind when getUserMedia asks for that
 *   kind again, so a switch stops the old track BEFORE asking for the new one
 *   (asking first would leave the new track ended or the old one frozen).
 * - The system may end or mute a track (the tab went to the background, a
 *   phone call, another app took the camera). It then counts as off, so the
 *   others are told video/audio off instead of seeing a frozen frame, and it
 *   is captured again when the page is visible again; the call puts the new
 *   track on every sender with replaceTrack.
 */
@Injectable()
export class LocalMediaService implements OnDestroy {
  private readonly devices = inject(MEDIA_DEVICES);
  private readonly stopWatchingVisibility = inject(PAGE_VISIBILITY).onChange((visible) => {
    if (visible) void this.resumeInterrupted();
  });

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
  /** Muted by the system (not by the person): the track sends nothing until it unmutes or is replaced. */
  private readonly cameraPaused = signal(false);
  private readonly micPaused = signal(false);
  /** Ended by the system; captured again when the page is visible. */
  private cameraLost = false;
  private micLost = false;

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
  readonly cameraOn = computed(() => this.cameraTrack() !== null && !this.cameraPaused());
  /** The person wants the camera and has one, but the system has taken it for now. */
  readonly cameraInterrupted = computed(() => this.cameraWanted() && this.cameraPaused());
  /** For buttons: on while the camera runs or is starting at the person's request. */
  readonly cameraShownOn = computed(() => this.cameraWanted() && (this.cameraOn() || this.cameraStarting()));
  readonly micShownOn = computed(() => this.micEnabled() && (this.micTrack() !== null || this.micStarting()));
  readonly micOn = computed(() => this.micTrack() !== null && this.micEnabled() && !this.micPaused());
  readonly sharing = computed(() => this.screenTrack() !== null);
  /** The self-view is a mirror for the front camera only: the back camera shows the world as it is. */
  readonly mirrorSelfView = computed(
    () => !this.sharing() && this.cameraTrack()?.getSettings().facingMode !== 'environment',
  );
  /** Phones have no getDisplayMedia: no button that can only fail. */
  readonly canShareScreen = typeof this.devices?.getDisplayMedia === 'function';
  /** Front and back (or two webcams): enumerateDevices lists more than one camera. */
  readonly canSwitchCamera = computed(() => this.cameras().length > 1);
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
    const audio = want.audio && !this.micTrack();
    const video = want.video && this.cameraWanted() && !this.cameraTrack();
    // One prompt and one capture for both; what it could not give is asked for alone, which names what is missing.
    if (audio && video) await this.openBoth();
    if (audio && !this.micTrack()) await this.openMicrophone();
    if (video && !this.cameraTrack() && this.cameraWanted()) await this.openCamera();
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
      this.cameraPaused.set(false);
      this.cameraLost = false;
      return true;
    }
    // A camera the system paused is captured afresh: pressing the button is the person asking for it back.
    return this.cameraTrack() && !this.cameraPaused() ? true : this.openCamera();
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

  /**
   * The switch button: the other side's camera (front/back) where the track
   * reports a facingMode, else the next camera in the list (two webcams).
   */
  async switchCamera(): Promise<boolean> {
    const track = this.cameraTrack();
    if (!track) return false;
    const facing = track.getSettings().facingMode;
    if (facing === 'user' || facing === 'environment') {
      if (await this.openCamera({ facingMode: { exact: facing === 'user' ? 'environment' : 'user' } })) return true;
      // Two cameras facing the same way (OverconstrainedError): fall back to the list.
    }
    const cameras = this.cameras();
    const next = cameras[(cameras.findIndex((camera) => camera.deviceId === this.cameraId()) + 1) % cameras.length];
    if (!next) return false;
    this._cameraId.set(next.deviceId);
    const opened = await this.openCamera();
    if (opened) this._problem.set(null);
    return opened;
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
    // Nothing is owed back after leaving: a later visibility change captures nothing.
    this.cameraPaused.set(false);
    this.micPaused.set(false);
    this.cameraLost = false;
    this.micLost = false;
  }

  ngOnDestroy(): void {
    this.stopWatchingVisibility();
    this.stopAll();
  }

  /** The page is visible again: capture what the system ended or paused while it was away. */
  private async resumeInterrupted(): Promise<void> {
    if (this.cameraWanted() && (this.cameraLost || this.cameraPaused()) && !this.cameraStarting()) await this.openCamera();
    if ((this.micLost || this.micPaused()) && !this.micStarting()) await this.openMicrophone();
  }

  private cameraConstraints(override: MediaTrackConstraints = {}): MediaTrackConstraints {
    const deviceId = this.cameraId();
    return { ...CAMERA, ...(deviceId && !override.facingMode ? { deviceId: { exact: deviceId } } : {}), ...override };
  }

  private microphoneConstraints(): MediaTrackConstraints {
    const deviceId = this.microphoneId();
    return deviceId ? { ...MICROPHONE, deviceId: { exact: deviceId } } : MICROPHONE;
  }

  /** Camera and microphone in one request; either may come back missing (the caller asks for it alone). */
  private async openBoth(): Promise<void> {
    if (!this.devices?.getUserMedia) return;
    this.cameraStarting.set(true);
    this.micStarting.set(true);
    try {
      const stream = await this.devices.getUserMedia({ audio: this.microphoneConstraints(), video: this.cameraConstraints() });
      const mic = stream.getTracks().find((track) => track.kind === 'audio');
      const camera = stream.getTracks().find((track) => track.kind === 'video');
      if (mic) this.adoptMicrophone(mic);
      if (camera && this.cameraWanted()) this.adoptCamera(camera);
      else camera?.stop(); // turned off while it was starting
    } catch {
      // Missing, busy or refused: the separate requests that follow find out which, and say so.
    } finally {
      this.cameraStarting.set(false);
      this.micStarting.set(false);
    }
  }

  private async openCamera(override?: MediaTrackConstraints): Promise<boolean> {
    this.cameraStarting.set(true);
    // Stop first: iOS ends the running camera track when getUserMedia asks for video again.
    this.stopTrack(this._cameraTrack, false);
    const track = await this.open('video', this.cameraConstraints(override)).finally(() => this.cameraStarting.set(false));
    if (!track) {
      this._cameraTrack.set(null);
      return false;
    }
    if (!this.cameraWanted()) {
      // Turned off while it was starting.
      track.stop();
      return false;
    }
    this.adoptCamera(track);
    return true;
  }

  private async openMicrophone(): Promise<boolean> {
    this.micStarting.set(true);
    // Stop first, for the same reason as the camera.
    this.stopTrack(this._micTrack, false);
    const track = await this.open('audio', this.microphoneConstraints()).finally(() => this.micStarting.set(false));
    if (!track) {
      this._micTrack.set(null);
      return false;
    }
    this.adoptMicrophone(track);
    return true;
  }

  private adoptCamera(track: MediaStreamTrack): void {
    this.watch(track, this._cameraTrack, this.cameraPaused, () => (this.cameraLost = true));
    this.cameraLost = false;
    this.cameraPaused.set(track.muted === true);
    this._cameraTrack.set(track);
    this._cameraId.set(track.getSettings().deviceId ?? this.cameraId());
  }

  private adoptMicrophone(track: MediaStreamTrack): void {
    track.enabled = this.micEnabled();
    this.watch(track, this._micTrack, this.micPaused, () => (this.micLost = true));
    this.micLost = false;
    this.micPaused.set(track.muted === true);
    this._micTrack.set(track);
    this._microphoneId.set(track.getSettings().deviceId ?? this.microphoneId());
  }

  /**
   * The system ending or muting a track (stop() fires no `ended`, so any `ended`
   * is the system's): show it as off rather than a frozen picture, and remember
   * to capture it again when the page is visible.
   */
  private watch(
    track: MediaStreamTrack,
    holder: { (): MediaStreamTrack | null; set(value: MediaStreamTrack | null): void },
    paused: { set(value: boolean): void },
    lost: () => void,
  ): void {
    track.addEventListener('ended', () => {
      if (holder() !== track) return;
      holder.set(null);
      paused.set(false);
      lost();
    });
    track.addEventListener('mute', () => {
      if (holder() === track) paused.set(true);
    });
    track.addEventListener('unmute', () => {
      if (holder() === track) paused.set(false);
    });
  }

  private async open(kind: 'audio' | 'video', constraints: MediaTrackConstraints): Promise<MediaStreamTrack | null> {
    if (!this.devices?.getUserMedia) {
      this._problem.set('insecure');
      return null;
    }
    try {
      const stream = await this.devices.getUserMedia({ [kind]: constraints });
      return stream.getTracks().find((candidate) => candidate.kind === kind) ?? null;
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

  /** Stops the held track; `clear: false` keeps it on the senders (sending nothing) until its replacement arrives. */
  private stopTrack(holder: { (): MediaStreamTrack | null; set(value: MediaStreamTrack | null): void }, clear = true): void {
    holder()?.stop();
    if (clear) holder.set(null);
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
