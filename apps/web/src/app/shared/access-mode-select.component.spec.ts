import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { AccessMode } from '../call/call.store';
import { MemoryStorage, PREFERRED_LANGUAGES, STORAGE } from '../core/browser.tokens';
import { AccessModeSelectComponent } from './access-mode-select.component';

/** An owner that takes a change, or (like a server refusing it) does not. */
@Component({
  imports: [AccessModeSelectComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<app-access-mode-select selectId="where" [value]="access()" (valueChange)="take($event)" />`,
})
class OwnerComponent {
  readonly access = signal<AccessMode>('open');
  accepts = true;
  take(access: AccessMode): void {
    if (this.accepts) this.access.set(access);
  }
}

async function render(language = 'en') {
  TestBed.configureTestingModule({
    providers: [
      { provide: STORAGE, useValue: new MemoryStorage() },
      { provide: PREFERRED_LANGUAGES, useValue: [language] },
    ],
  });
  const fixture = TestBed.createComponent(OwnerComponent);
  await fixture.whenStable();
  const root = fixture.nativeElement as HTMLElement;
  const select = root.querySelector<HTMLSelectElement>('[data-testid="access-mode"]');
  if (!select) throw new Error('no access-mode select');
  const choose = async (value: string) => {
    select.value = value;
    select.dispatchEvent(new Event('change'));
    await fixture.whenStable();
  };
  return { fixture, root, select, choose, owner: fixture.componentInstance };
}

describe('AccessModeSelectComponent', () => {
  it('is a labelled select with the values open, ask and locked, showing the owner\'s value', async () => {
    const { root, select } = await render();
    expect([...select.options].map((option) => option.value)).toEqual(['open', 'ask', 'locked']);
    expect([...select.options].map((option) => option.textContent?.trim())).toEqual([
      'Anyone with the link',
      'People I let in (waiting room)',
      'Nobody new (locked)',
    ]);
    expect(select.value).toBe('open');
    expect(root.querySelector('label')?.getAttribute('for')).toBe('where');
    expect(select.id).toBe('where');
  });

  it('speaks Japanese', async () => {
    const { root, select } = await render('ja');
    expect(root.querySelector('label')?.textContent).toBe('参加できる人');
    expect(select.options[1].textContent?.trim()).toBe('主催者が承認した人(待機室)');
  });

  it('passes a choice on, and goes back to the owner\'s value when the owner does not take it', async () => {
    const { select, choose, owner, fixture } = await render();
    await choose('ask');
    expect(owner.access()).toBe('ask');
    expect(select.value).toBe('ask');

    owner.accepts = false;
    await choose('locked');
    expect(owner.access()).toBe('ask');
    expect(select.value).toBe('ask');

    // A change from elsewhere (the server said so) shows too.
    owner.access.set('locked');
    await fixture.whenStable();
    expect(select.value).toBe('locked');
  });
});
