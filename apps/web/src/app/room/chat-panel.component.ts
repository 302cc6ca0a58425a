import { ChangeDetectionStrategy, Component, type ElementRef, effect, inject, input, output, signal, viewChild } from '@angular/core';
import { type ChatMessage, LIMITS } from '@mesh-meet/protocol';
import { I18n } from '../core/i18n/i18n.service';

/**
 * The room's chat. Messages are interpolated as text, so markup someone types
 * is shown, never run.
 */
@Component({
  selector: 'app-chat-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="messages" #list aria-live="polite">
      @for (message of messages(); track message.id) {
        <div class="message" data-testid="chat-message" [class.mine]="message.from === selfId()">
          <div class="meta">
            <span class="author">{{ message.name }}</span>
            <time [attr.datetime]="message.sentAt">{{ time(message.sentAt) }}</time>
          </div>
          <div class="text">{{ message.text }}</div>
        </div>
      } @empty {
        <p class="empty">{{ i18n.t('chat.empty') }}</p>
      }
    </div>
    <form (submit)="submit($event)">
      <input
        data-testid="chat-input"
        [maxLength]="maxLength"
        autocomplete="off"
        [placeholder]="i18n.t('chat.placeholder')"
        [attr.aria-label]="i18n.t('chat.placeholder')"
        [value]="draft()"
        (input)="draft.set(value($event))"
      />
      <button type="submit" class="primary" data-testid="chat-send" [disabled]="!draft().trim()">{{ i18n.t('chat.send') }}</button>
    </form>
  `,
  styles: `
    :host { display: flex; flex-direction: column; min-height: 0; height: 100%; }
    .messages { flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: 8px; padding: 8px 0; min-height: 0; }
    .message { background: var(--surface-2); border-radius: 10px; padding: 6px 10px; max-width: 100%; }
    .message.mine { background: #1e3a8a; }
    .meta { display: flex; justify-content: space-between; gap: 8px; font-size: 0.75rem; color: var(--muted); }
    .author { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .text { white-space: pre-wrap; overflow-wrap: anywhere; }
    .empty { color: var(--muted); }
    form { display: flex; gap: 8px; padding-top: 8px; }
    form input { flex: 1; }
    form button { flex: none; white-space: nowrap; }
  `,
})
export class ChatPanelComponent {
  protected readonly i18n = inject(I18n);
  readonly messages = input.required<ChatMessage[]>();
  readonly selfId = input<string | null>(null);
  readonly send = output<string>();
  protected readonly draft = signal('');
  protected readonly maxLength = LIMITS.chatMaxLength;
  private readonly list = viewChild.required<ElementRef<HTMLElement>>('list');

  constructor() {
    effect(() => {
      this.messages();
      const list = this.list().nativeElement;
      queueMicrotask(() => (list.scrollTop = list.scrollHeight));
    });
  }

  submit(event: Event): void {
    event.preventDefault();
    const text = this.draft().trim();
    if (!text) return;
    this.send.emit(text);
    this.draft.set('');
  }

  protected time(iso: string): string {
    return new Date(iso).toLocaleTimeString(this.i18n.language() === 'ja' ? 'ja-JP' : 'en-US', {
      hour: '2-digit',
      minute: '2-digit',
    });
  }

  protected value(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }
}
