import { ChangeDetectionStrategy, Component, type ElementRef, computed, effect, inject, input, output, signal, viewChild } from '@angular/core';
import type { RemotePeer } from '../call/call.store';
import { ConnectionQualityComponent } from '../call/quality/connection-quality.component';
import type { LinkView } from '../call/quality/quality-monitor';
import { VOLUME_ADJUSTABLE } from '../core/browser.tokens';
import { I18n } from '../core/i18n/i18n.service';
import { IconComponent } from '../shared/icon.component';
import { ReleaseMediaDirective } from '../shared/release-media.directive';

/**
 * One remote participant. The <video> is NOT muted (it carries their voice),
 * plays inline (iOS Safari shows black video otherwise) and reports when the
 * browser blocks sound until a tap.
 */
@Component({
  selector: 'app-participant-tile',
  imports: [IconComponent, ReleaseMediaDirective, ConnectionQualityComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    'data-testid': 'participant-tile',
    class: 'tile',
    '[attr.data-peer-name]': 'peer().name',
    '[attr.data-peer-id]': 'peer().peerId',
    '[attr.data-audio]': "peer().media.audio ? 'on' : 'off'",
    '[attr.data-video]': "videoOn() ? 'on' : 'off'",
    '[attr.data-screen]': "peer().media.screen ? 'on' : 'off'",
    '[attr.data-health]': 'peer().health',
    '[attr.data-failure]': 'peer().failure ?? null',
    '[class.speaking]': 'speaking()',
  },
  template: `
    <video #video appReleaseMedia data-testid="remote-video" autoplay playsinline [class.hidden]="!videoOn()" [class.contain]="peer().media.screen"></video>
    @if (!videoOn()) {
      <div class="avatar" aria-hidden="true">{{ initial() }}</div>
      @if (videoPaused() && (peer().media.video || peer().media.screen)) {
        <div class="paused-note" data-testid="video-paused">{{ i18n.t('quality.lowBandwidth.tile') }}</div>
      }
    }
    @if (peer().health === 'connected') {
      <app-connection-quality [view]="quality()" [name]="peer().name" />
    }
    @if (healthText(); as text) {
      <div class="health" role="status" data-testid="peer-health">
        {{ text }}
        @if (failedReason(); as reason) {
          <small class="reason">{{ reason }}</small>
        }
      </div>
    }
    <div class="caption">
      <span class="name">{{ peer().name }}</span>
      @if (peer().role === 'host') {
        <span class="badge">{{ i18n.t('room.host') }}</span>
      }
      @if (peer().media.screen) {
        <span class="badge">{{ i18n.t('room.sharing') }}</span>
      }
      @if (!peer().media.audio) {
        <span class="muted-icon" [attr.aria-label]="i18n.t('room.muted')" [title]="i18n.t('room.muted')"><app-icon name="mic-off" /></span>
      }
      @if (volumeAdjustable) {
        <input
          type="range"
          class="volume"
          data-testid="peer-volume"
          min="0"
          max="1"
          step="0.05"
          [value]="volume()"
          [attr.aria-label]="i18n.t('room.volume', { name: peer().name })"
          (input)="volume.set(+$any($event.target).value)"
        />
      }
    </div>
    @if (canRemove()) {
      <div class="host-actions">
        <!-- Only the host has these. Muting someone who is already muted would do nothing: the button says so by being off. -->
        <button
          type="button"
          data-testid="mute-participant"
          [disabled]="!peer().media.audio"
          [attr.aria-label]="i18n.t('room.muteParticipant', { name: peer().name })"
          [title]="i18n.t('room.muteParticipant', { name: peer().name })"
          (click)="mute.emit(peer())"
        >
          <app-icon name="mic-off" />
        </button>
        <button type="button" data-testid="remove-participant" (click)="remove.emit(peer())">
          {{ i18n.t('room.remove') }}
        </button>
      </div>
    }
  `,
  styleUrl: './tile.css',
})
export class ParticipantTileComponent {
  protected readonly i18n = inject(I18n);
  /** iOS ignores `volume` (the hardware buttons own it): no slider that moves and changes nothing. */
  protected readonly volumeAdjustable = inject(VOLUME_ADJUSTABLE);
  protected readonly volume = signal(1);
  readonly peer = input.required<RemotePeer>();
  readonly speaking = input(false);
  readonly canRemove = input(false);
  /** This link's measured quality (quality/quality-monitor.ts); null until the first round. */
  readonly quality = input<LinkView | null>(null);
  /** Low-bandwidth mode: their video is not received, the tile shows their name instead. */
  readonly videoPaused = input(false);
  /** Audio output device (setSinkId), where the browser allows choosing. */
  readonly sinkId = input<string | null>(null);
  /** Bumped after a user gesture, to retry playback that autoplay rules blocked. */
  readonly playAttempt = input(0);
  readonly remove = output<RemotePeer>();
  readonly mute = output<RemotePeer>();
  readonly soundBlocked = output<void>();

  private readonly video = viewChild.required<ElementRef<HTMLVideoElement>>('video');
  protected readonly videoOn = computed(() => (this.peer().media.video || this.peer().media.screen) && !this.videoPaused());
  protected readonly initial = computed(() => this.peer().name.trim().charAt(0).toUpperCase() || '?');
  protected readonly healthText = computed(() => {
    switch (this.peer().health) {
      case 'connecting':
        return this.i18n.t('room.connecting');
      case 'reconnecting':
        return this.i18n.t('room.reconnecting');
      case 'failed':
        return this.i18n.t('room.failed');
      default:
        return null;
    }
  });

  /** Why it could not connect, where known: a missing TURN server, the network, or the negotiation. */
  protected readonly failedReason = computed(() => {
    const { health, failure } = this.peer();
    return health === 'failed' && failure ? this.i18n.t(`room.failedReason.${failure}`) : null;
  });

  constructor() {
    effect(() => {
      const video = this.video().nativeElement;
      const stream = this.peer().stream;
      this.playAttempt();
      if (video.srcObject !== stream) video.srcObject = stream;
      if (stream) this.play(video);
    });
    effect(() => {
      const volume = this.volume();
      if (this.volumeAdjustable) this.video().nativeElement.volume = volume;
    });
    effect(() => {
      const sinkId = this.sinkId();
      const video = this.video().nativeElement as HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> };
      if (sinkId && video.setSinkId) void video.setSinkId(sinkId).catch(() => undefined);
    });
  }

  private play(video: HTMLVideoElement): void {
    video.play().catch((error: unknown) => {
      if ((error as { name?: string }).name === 'NotAllowedError') this.soundBlocked.emit();
    });
  }
}
