import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MemoryStorage, PREFERRED_LANGUAGES, STORAGE } from '../core/browser.tokens';
import { ConfirmDialogComponent } from './confirm-dialog.component';
import { type ConfirmOptions, ConfirmDialogService } from './confirm-dialog.service';

/** A page with a button that asks, and the dialog, as the app's root has it. */
@Component({
  imports: [ConfirmDialogComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<button type="button" data-testid="opener">End</button><button type="button" data-testid="elsewhere">Chat</button><app-confirm-dialog />`,
})
class PageComponent {}

const END: ConfirmOptions = {
  title: 'End the meeting for everyone?',
  message: 'Everyone is disconnected.',
  confirmLabel: 'End for everyone',
  danger: true,
};

async function page(language = 'en') {
  TestBed.configureTestingModule({
    providers: [
      { provide: STORAGE, useValue: new MemoryStorage() },
      { provide: PREFERRED_LANGUAGES, useValue: [language] },
    ],
  });
  const fixture = TestBed.createComponent(PageComponent);
  await fixture.whenStable();
  const root = fixture.nativeElement as HTMLElement;
  const find = (testId: string) => root.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  const dialog = TestBed.inject(ConfirmDialogService);
  /** Clicks the opener (which takes focus, as in Chromium) and asks. */
  const ask = async (options = END) => {
    find('opener')?.focus();
    const answer = dialog.ask(options);
    await fixture.whenStable();
    return answer;
  };
  const key = async (init: KeyboardEventInit) => {
    document.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
    await fixture.whenStable();
  };
  return { fixture, find, dialog, ask, key };
}

describe('ConfirmDialogComponent', () => {
  it('opens as a modal alertdialog named by its title and described by its message, with focus on Cancel', async () => {
    const { fixture, find, ask } = await page();
    void ask();
    await fixture.whenStable();
    const box = find('confirm-dialog');
    expect(box?.getAttribute('role')).toBe('alertdialog');
    expect(box?.getAttribute('aria-modal')).toBe('true');
    expect(document.getElementById(box?.getAttribute('aria-labelledby') ?? '')?.textContent).toBe(END.title);
    expect(document.getElementById(box?.getAttribute('aria-describedby') ?? '')?.textContent).toBe(END.message);
    expect(document.activeElement).toBe(find('confirm-cancel'));
    expect(find('confirm-ok')?.textContent?.trim()).toBe('End for everyone');
    expect(find('confirm-ok')?.classList).toContain('danger');
  });

  it('resolves true on the confirm button, closes, and gives focus back to the button that opened it', async () => {
    const { fixture, find, ask } = await page();
    const answer = ask();
    await fixture.whenStable();
    find('confirm-ok')?.click();
    await expect(answer).resolves.toBe(true);
    await fixture.whenStable();
    expect(find('confirm-dialog')).toBeNull();
    expect(document.activeElement).toBe(find('opener'));
  });

  it('resolves false on Cancel and on Escape', async () => {
    const { fixture, find, ask, key } = await page();
    const cancelled = ask();
    await fixture.whenStable();
    find('confirm-cancel')?.click();
    await expect(cancelled).resolves.toBe(false);

    const escaped = ask();
    await fixture.whenStable();
    await key({ key: 'Escape' });
    await expect(escaped).resolves.toBe(false);
    expect(find('confirm-dialog')).toBeNull();
    expect(document.activeElement).toBe(find('opener'));
  });

  it('keeps Tab and Shift+Tab inside, and brings back focus that lands on the page behind', async () => {
    const { fixture, find, ask, key } = await page();
    void ask();
    await fixture.whenStable();
    // From Cancel (first), Shift+Tab wraps to the confirm button (last), and Tab from there wraps back.
    await key({ key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(find('confirm-ok'));
    await key({ key: 'Tab' });
    expect(document.activeElement).toBe(find('confirm-cancel'));
    find('elsewhere')?.focus();
    expect(document.activeElement).toBe(find('confirm-cancel'));
  });

  it('lets keys through to the page while no question is open', async () => {
    await page();
    for (const key of ['Tab', 'Escape']) {
      const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
      document.dispatchEvent(event);
      expect(event.defaultPrevented).toBe(false);
    }
  });

  it('speaks Japanese: Cancel is キャンセル, and a non-danger action is the primary button', async () => {
    const { fixture, find, ask } = await page('ja-JP');
    void ask({ title: '会議から退出しますか?', message: '会議は主催者なしで続きます。', confirmLabel: '退出' });
    await fixture.whenStable();
    expect(find('confirm-cancel')?.textContent?.trim()).toBe('キャンセル');
    expect(find('confirm-ok')?.classList).toContain('primary');
    expect(find('confirm-ok')?.classList).not.toContain('danger');
  });
});

describe('ConfirmDialogService', () => {
  it('answers a question left open with false when a newer one is asked, and shows the newer one', async () => {
    const dialog = new ConfirmDialogService();
    const first = dialog.ask(END);
    const second = dialog.ask({ ...END, title: 'Remove Ben from the meeting?' });
    await expect(first).resolves.toBe(false);
    expect(dialog.open()?.title).toBe('Remove Ben from the meeting?');
    dialog.answer(true);
    await expect(second).resolves.toBe(true);
    expect(dialog.open()).toBeNull();
  });

  it('ignores an answer when nothing is asked', () => {
    const dialog = new ConfirmDialogService();
    expect(() => dialog.answer(true)).not.toThrow();
    expect(dialog.open()).toBeNull();
  });
});
