import { ChangeDetectionStrategy, Component, DestroyRef, type ElementRef, computed, effect, inject, signal, untracked, viewChild } from '@angular/core';
import { CallService } from '../call/call.service';
import { type AccessMode, CallStore, type JoinRequestView, type Notice, type RemotePeer } from '../call/call.store';
import { Chime } from '../call/chime';
import { LocalMediaService } from '../call/local-media.service';
import { QualityStore } from '../call/quality/quality.store';
import { ScreenWakeLock } from '../call/screen-wake-lock';
import { SignalingClient } from '../call/signaling.client';
import { APP_ORIGIN, MATCH_MEDIA } from '../core/browser.tokens';
import { I18n } from '../core/i18n/i18n.service';
import type { MessageKey } from '../core/i18n/messages';
import { AccessModeSelectComponent } from '../shared/access-mode-select.component';
import { ConfirmDialogService } from '../shared/confirm-dialog.service';
import { CopyButtonComponent } from '../shared/copy-button.component';
import { IconComponent } from '../shared/icon.component';
import { ReleaseMediaDirective } from '../shared/release-media.directive';
import { ChatPanelComponent } from './chat-panel.component';
import { JoinRequestsComponent } from './join-requests.component';
import { LANDSCAPE_PHONE_QUERY, PORTRAIT_QUERY, type ScreenShape, gridLayout } from './grid-layout';
import { ParticipantTileComponent } from './participant-tile.component';

type Panel = 'chat' | 'participants' | null;

const NOTICE_TEXT: Record<Notice['kind'], MessageKey> = {
  joined: 'room.joined',
  left: 'room.left',
  knocked: 'room.requests.arrived',
};

/** The call: everyone's video, the controls, chat and the participant list. */
@Component({
  selector: 'app-room',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ParticipantTileComponent, ChatPanelComponent, JoinRequestsComponent, AccessModeSelectComponent, CopyButtonComponent, IconComponent, ReleaseMediaDirective],
  templateUrl: './room.component.html',
  styleUrl: './room.component.css',
})
export class RoomComponent {
  protected readonly i18n = inject(I18n);
  protected readonly store = inject(CallStore);
  protected readonly media = inject(LocalMediaService);
  protected readonly signaling = inject(SignalingClient);
  protected readonly quality = inject(QualityStore);
  private readonly call = inject(CallService);
  private readonly dialog = inject(ConfirmDialogService);
  private readonly origin = inject(APP_ORIGIN);
  private readonly chime = inject(Chime);
  /** The access mode before the room was locked, for the lock button to return to. */
  private unlockTo: AccessMode = 'open';

  protected readonly noticeText = NOTICE_TEXT;
  protected readonly panel = signal<Panel>(null);
  /** Mute everyone is offered while someone else's microphone is on. */
  protected readonly anyoneToMute = computed(() => this.store.peers().some((peer) => peer.media.audio));
  protected readonly unreadChat = signal(0);
  protected readonly playAttempt = signal(0);
  protected readonly shareFailed = signal(false);
  protected readonly inviteUrl = computed(() => `${this.origin}/r/${this.store.room()?.roomId ?? ''}`);
  private readonly shape = signal<ScreenShape>('wide');
  protected readonly layout = computed(() => gridLayout(this.store.participantCount(), this.shape()));

  private readonly localVideo = viewChild.required<ElementRef<HTMLVideoElement>>('localVideo');

  constructor() {
    const destroyRef = inject(DestroyRef);
    const matchMedia = inject(MATCH_MEDIA);
    const portrait = matchMedia(PORTRAIT_QUERY);
    const landscapePhone = matchMedia(LANDSCAPE_PHONE_QUERY);
    const measure = () => this.shape.set(landscapePhone.matches ? 'landscape-phone' : portrait.matches ? 'portrait' : 'wide');
    measure();
    for (const query of [portrait, landscapePhone]) {
      query.addEventListener('change', measure);
      destroyRef.onDestroy(() => query.removeEventListener('change', measure));
    }
    // The room exists exactly while in the call: the screen stays on until leave.
    destroyRef.onDestroy(inject(ScreenWakeLock).hold());
    // The call ended (removed, the meeting ended) with a question still open: it is moot now.
    destroyRef.onDestroy(() => this.dialog.answer(false));
    effect(() => {
      const video = this.localVideo().nativeElement;
      const track = this.media.outgoingVideo();
      video.srcObject = track ? new MediaStream([track]) : null;
    });
    let seen = 0;
    effect(() => {
      const count = this.store.chat().length;
      if (this.panel() === 'chat') this.unreadChat.set(0);
      else if (count > seen) this.unreadChat.update((unread) => unread + count - seen);
      seen = count;
    });
    // Someone asked to join while the host is here: a short sound besides the list and the announcement.
    let knocks = this.store.knocks();
    effect(() => {
      const now = this.store.knocks();
      if (now > knocks && this.store.isHost()) this.chime.play();
      knocks = now;
    });
    destroyRef.onDestroy(() => this.chime.close());
    effect(() => {
      const access = this.store.access();
      if (access !== 'locked') this.unlockTo = access;
    });
    // A guest who turns the microphone back on has read the notice.
    effect(() => {
      if (this.media.micShownOn() && untracked(() => this.store.mutedBy())) this.store.setMutedBy(null);
    });
    // Join/leave notices fade on their own.
    effect(() => {
      for (const notice of this.store.notices()) setTimeout(() => this.store.dismissNotice(notice.id), 4000);
    });
  }

  setLowBandwidth(on: boolean): void {
    this.call.setLowBandwidth(on);
  }

  toggle(panel: Exclude<Panel, null>): void {
    this.panel.update((current) => (current === panel ? null : panel));
    if (this.panel() === 'chat') this.unreadChat.set(0);
  }

  async shareScreen(): Promise<void> {
    this.shareFailed.set(!(await this.call.toggleScreenShare()));
  }

  toggleMic(): void {
    void this.call.toggleMic();
  }

  toggleCamera(): void {
    void this.call.toggleCamera();
  }

  switchCamera(): void {
    void this.media.switchCamera();
  }

  sendChat(text: string): void {
    void this.call.sendChat(text);
  }

  async leave(): Promise<void> {
    // A host leaving others behind leaves them without anyone who can lock, remove or end: say so first.
    if (this.store.isHost() && this.store.peers().length > 0) {
      const leave = await this.dialog.ask({
        title: this.i18n.t('room.leaveConfirm'),
        message: this.i18n.t('room.leaveConfirmDetail'),
        confirmLabel: this.i18n.t('room.leave'),
      });
      if (!leave) return;
    }
    await this.call.leave();
  }

  /** The lock button: nobody new, or back to how people came in before the lock (open, or asking). */
  lock(): void {
    void this.call.setAccess(this.store.access() === 'locked' ? this.unlockTo : 'locked');
  }

  async endMeeting(): Promise<void> {
    const end = await this.dialog.ask({
      title: this.i18n.t('room.endConfirm'),
      message: this.i18n.t('room.endConfirmDetail'),
      confirmLabel: this.i18n.t('room.end'),
      danger: true,
    });
    if (end) await this.call.endMeeting();
  }

  async remove(peer: RemotePeer): Promise<void> {
    const remove = await this.dialog.ask({
      title: this.i18n.t('room.removeConfirm', { name: peer.name }),
      message: this.i18n.t('room.removeConfirmDetail', { name: peer.name }),
      confirmLabel: this.i18n.t('room.remove'),
      danger: true,
    });
    if (remove) await this.call.removePeer(peer.peerId);
  }

  setAccess(access: AccessMode): void {
    void this.call.setAccess(access);
  }

  admit(request: JoinRequestView): void {
    void this.call.admit(request.requestId);
  }

  admitAll(): void {
    void this.call.admitAll();
  }

  async deny(request: JoinRequestView): Promise<void> {
    const deny = await this.dialog.ask({
      title: this.i18n.t('room.denyConfirm', { name: request.name }),
      message: this.i18n.t('room.denyConfirmDetail', { name: request.name }),
      confirmLabel: this.i18n.t('room.requests.deny'),
      danger: true,
    });
    if (deny) await this.call.deny(request.requestId);
  }

  mute(peer: RemotePeer): void {
    void this.call.mutePeer(peer.peerId);
  }

  muteAll(): void {
    void this.call.muteAll();
  }

  enableSound(): void {
    this.store.setAudioBlocked(false);
    this.playAttempt.update((attempt) => attempt + 1);
  }

  soundBlocked(): void {
    this.store.setAudioBlocked(true);
  }
}
