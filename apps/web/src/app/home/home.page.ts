import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { CreateRoomResponse } from '@mesh-meet/protocol';
import { normalizeRoomId } from '@mesh-meet/protocol/core';
import { ApiClient, ApiError } from '../call/api.client';
import { IdentityStore } from '../core/identity.store';
import { I18n } from '../core/i18n/i18n.service';
import type { MessageKey } from '../core/i18n/messages';
import type { AccessMode } from '../call/call.store';
import { AccessModeSelectComponent } from '../shared/access-mode-select.component';
import { CopyButtonComponent } from '../shared/copy-button.component';
import { LanguageSwitchComponent } from '../shared/language-switch.component';
import { QrCodeComponent } from '../shared/qr-code.component';

/** Create a meeting (host link, guest link, QR) or join one by its code. */
@Component({
  selector: 'app-home-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AccessModeSelectComponent, CopyButtonComponent, QrCodeComponent, LanguageSwitchComponent],
  templateUrl: './home.page.html',
  styleUrl: './home.page.css',
})
export class HomePage {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly identity = inject(IdentityStore);

  protected readonly meetingName = signal('');
  protected readonly access = signal<AccessMode>('open');
  protected readonly creating = signal(false);
  protected readonly created = signal<CreateRoomResponse | null>(null);
  protected readonly createError = signal<MessageKey | null>(null);
  protected readonly code = signal('');
  protected readonly codeError = signal(false);

  async create(event: Event): Promise<void> {
    event.preventDefault();
    if (this.creating()) return;
    this.creating.set(true);
    this.createError.set(null);
    try {
      const room = await this.api.createRoom(this.meetingName(), this.access());
      this.identity.rememberHostKey(room.roomId, room.hostKey);
      this.created.set(room);
    } catch (error) {
      this.createError.set(error instanceof ApiError && error.code === 'RATE_LIMITED' ? 'error.RATE_LIMITED' : 'home.error.create');
    } finally {
      this.creating.set(false);
    }
  }

  startAsHost(room: CreateRoomResponse): void {
    void this.router.navigate(['/r', room.roomId]);
  }

  joinByCode(event: Event): void {
    event.preventDefault();
    const roomId = normalizeRoomId(this.code());
    this.codeError.set(!roomId);
    if (roomId) void this.router.navigate(['/r', roomId]);
  }

  protected value(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }
}
