import { ChangeDetectionStrategy, Component, type OnInit, computed, effect, inject, input, signal, viewChild, type ElementRef } from '@angular/core';
import { LIMITS, type RoomInfo } from '@mesh-meet/protocol';
import { ApiClient, ApiError } from '../call/api.client';
import { CallService } from '../call/call.service';
import { CallStore } from '../call/call.store';
import { LocalMediaService, type MediaProblem } from '../call/local-media.service';
import { MEDIA_DEVICES, PEER_CONNECTION_SUPPORTED, SECURE_CONTEXT } from '../core/browser.tokens';
import { IdentityStore } from '../core/identity.store';
import { I18n } from '../core/i18n/i18n.service';
import type { MessageKey } from '../core/i18n/messages';
import { IconComponent } from '../shared/icon.component';
import { LanguageSwitchComponent } from '../shared/language-switch.component';
import { ReleaseMediaDirective } from '../shared/release-media.directive';
import { type CallSupport, callSupport } from './call-support';

const PROBLEM_TEXT: Record<MediaProblem, MessageKey> = {
  insecure: 'media.insecure',
  denied: 'media.denied',
  'no-devices': 'media.noDevices',
  'no-camera': 'media.noCamera',
  'no-mic': 'media.noMic',
  'in-use': 'media.inUse',
  failed: 'media.failed',
};

const SUPPORT_TEXT: Record<NonNullable<CallSupport['missing']>, MessageKey> = {
  webrtc: 'support.webrtc',
  insecure: 'support.insecure',
  capture: 'support.capture',
};

/** Before joining: preview, devices, name, mic/camera on or off, and why joining might not work. */
@Component({
  selector: 'app-lobby',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LanguageSwitchComponent, IconComponent, ReleaseMediaDirective],
  templateUrl: './lobby.component.html',
  styleUrl: './lobby.component.css',
})
export class LobbyComponent implements OnInit {
  protected readonly i18n = inject(I18n);
  protected readonly media = inject(LocalMediaService);
  protected readonly store = inject(CallStore);
  private readonly call = inject(CallService);
  private readonly api = inject(ApiClient);
  private readonly identity = inject(IdentityStore);

  readonly roomId = input.required<string>();
  readonly hostKey = input<string | undefined>(undefined);

  protected readonly name = signal(this.identity.name);
  protected readonly nameMissing = signal(false);
  protected readonly room = signal<RoomInfo | null>(null);
  protected readonly lookupError = signal<MessageKey | null>(null);
  protected readonly nameMaxLength = LIMITS.nameMaxLength;
  /** Checked once, before anything starts: a browser does not gain WebRTC while the page is open. */
  protected readonly support = callSupport({
    peerConnection: inject(PEER_CONNECTION_SUPPORTED),
    secureContext: inject(SECURE_CONTEXT),
    mediaDevices: inject(MEDIA_DEVICES),
  });
  protected readonly supportText = this.support.missing ? SUPPORT_TEXT[this.support.missing] : null;
  protected readonly joining = computed(() => this.store.phase() === 'joining');
  /** Asked to join and waiting for the host: the preview stays, the form gives way to the wait. */
  protected readonly waiting = computed(() => this.store.phase() === 'waiting');
  /** A guest of a meeting whose host lets people in: the button says it asks. */
  protected readonly asks = computed(() => !this.hostKey() && this.room()?.access === 'ask');
  /** A room that does not exist or has ended cannot be joined: no button to press in vain. */
  protected readonly joinable = computed(() => {
    const error = this.lookupError();
    return error !== 'error.ROOM_NOT_FOUND' && error !== 'error.ROOM_ENDED';
  });
  protected readonly problemText = computed(() => {
    const problem = this.media.problem();
    // Where capture is impossible, the support message already says so and what to do.
    if (!this.support.canCapture) return null;
    return problem ? PROBLEM_TEXT[problem] : null;
  });
  /** A refusal from the last join attempt, or the room lookup: room not found, full, locked, ended… */
  protected readonly errorText = computed<MessageKey | null>(() => {
    const error = this.store.error();
    if (error) return `error.${error}` as MessageKey;
    return this.lookupError();
  });

  private readonly preview = viewChild<ElementRef<HTMLVideoElement>>('preview');
  private readonly leaveWaiting = viewChild<ElementRef<HTMLButtonElement>>('leaveWaiting');

  constructor() {
    effect(() => {
      const video = this.preview()?.nativeElement;
      if (video) video.srcObject = this.media.previewStream();
    });
    // The Join button that had focus is gone: the wait's one action takes it (the status itself is announced).
    effect(() => this.leaveWaiting()?.nativeElement.focus());
  }

  async ngOnInit(): Promise<void> {
    void this.lookup();
    if (!this.support.canJoin) return;
    this.call.warmUp();
    if (this.support.canCapture) await this.media.start();
  }

  async join(event: Event): Promise<void> {
    event.preventDefault();
    const name = this.name().trim();
    this.nameMissing.set(!name);
    if (!name || this.joining() || !this.support.canJoin) return;
    await this.call.join({ roomId: this.roomId(), name, hostKey: this.hostKey() });
  }

  /** Gives up waiting: the request is withdrawn and the lobby is back. */
  async leave(): Promise<void> {
    await this.call.cancelWaiting();
  }

  protected value(event: Event): string {
    return (event.target as HTMLInputElement | HTMLSelectElement).value;
  }

  private async lookup(): Promise<void> {
    try {
      const room = await this.api.room(this.roomId());
      this.room.set(room);
      if (room.endedAt) this.lookupError.set('error.ROOM_ENDED');
    } catch (error) {
      this.lookupError.set(error instanceof ApiError ? (`error.${error.code}` as MessageKey) : 'error.network');
    }
  }
}
