import { ChangeDetectionStrategy, Component, type OnInit, computed, inject, input } from '@angular/core';
import { Router } from '@angular/router';
import { normalizeRoomId } from '@mesh-meet/protocol';
import { CallService } from '../call/call.service';
import { CallStore } from '../call/call.store';
import { LocalMediaService } from '../call/local-media.service';
import { QualityStore } from '../call/quality/quality.store';
import { SignalingClient } from '../call/signaling.client';
import { IdentityStore } from '../core/identity.store';
import { RoomComponent } from '../room/room.component';
import { AfterCallComponent } from './after-call.component';
import { LobbyComponent } from './lobby.component';

/**
 * /r/:roomId — lobby, call and the page after it. The call's services live
 * and die with this page: leaving the route stops every track and connection.
 */
@Component({
  selector: 'app-meeting-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [CallStore, CallService, LocalMediaService, SignalingClient, QualityStore],
  imports: [LobbyComponent, RoomComponent, AfterCallComponent],
  template: `
    <!-- One lobby for 'lobby', 'joining' and 'waiting': a second one would look the room up and restart the devices again. -->
    @if (store.phase() === 'in-call') {
      <app-room />
    } @else if (store.phase() === 'lobby' || store.phase() === 'joining' || store.phase() === 'waiting') {
      <app-lobby [roomId]="canonicalRoomId()" [hostKey]="hostKey()" />
    } @else {
      <app-after-call [phase]="store.phase()" (rejoin)="rejoin()" />
    }
  `,
  styles: `:host { display: block; height: 100%; }`,
})
export class MeetingPage implements OnInit {
  protected readonly store = inject(CallStore);
  private readonly identity = inject(IdentityStore);
  private readonly router = inject(Router);

  /** Route parameter and the `?host=` query parameter (component input binding). */
  readonly roomId = input.required<string>();
  readonly host = input<string | undefined>(undefined);

  protected readonly canonicalRoomId = computed(() => normalizeRoomId(this.roomId()) ?? this.roomId());
  protected readonly hostKey = computed(() => this.host() ?? this.identity.hostKey(this.canonicalRoomId()));

  ngOnInit(): void {
    const hostKey = this.host();
    if (hostKey) {
      // Keep the key in this browser and take it out of the address bar, where
      // a screen share or a shoulder would show it.
      this.identity.rememberHostKey(this.canonicalRoomId(), hostKey);
      void this.router.navigate(['/r', this.canonicalRoomId()], { replaceUrl: true });
    } else if (this.canonicalRoomId() !== this.roomId()) {
      void this.router.navigate(['/r', this.canonicalRoomId()], { replaceUrl: true });
    }
  }

  rejoin(): void {
    // The reason the last call ended was for the page after it, not for the lobby.
    this.store.setError(null);
    this.store.setPhase('lobby');
  }
}
