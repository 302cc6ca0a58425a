import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { JoinRequestView } from '../call/call.store';
import { MemoryStorage, PREFERRED_LANGUAGES, STORAGE } from '../core/browser.tokens';
import { JoinRequestsComponent } from './join-requests.component';

/** The list as the room has it: answering a request takes it off (as the server's next list does). */
@Component({
  imports: [JoinRequestsComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<app-join-requests [requests]="requests()" (admit)="answer('admit', $event)" (deny)="answer('deny', $event)" (admitAll)="answers.push('all')" />`,
})
class HostComponent {
  readonly requests = signal<JoinRequestView[]>([
    { requestId: 'r1', name: 'Ken' },
    { requestId: 'r2', name: 'Mia' },
  ]);
  readonly answers: string[] = [];

  answer(what: string, request: JoinRequestView): void {
    this.answers.push(`${what} ${request.name}`);
    this.requests.update((requests) => requests.filter((existing) => existing !== request));
  }
}

async function render(language = 'en') {
  TestBed.configureTestingModule({
    providers: [
      { provide: STORAGE, useValue: new MemoryStorage() },
      { provide: PREFERRED_LANGUAGES, useValue: [language] },
    ],
  });
  const fixture = TestBed.createComponent(HostComponent);
  // Attached, so focus is real.
  document.body.appendChild(fixture.nativeElement);
  await fixture.whenStable();
  const root = fixture.nativeElement as HTMLElement;
  const rows = () => [...root.querySelectorAll<HTMLElement>('[data-testid="join-request"]')];
  const button = (row: HTMLElement, testId: string) => row.querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`);
  return { fixture, root, rows, button, host: fixture.componentInstance };
}

describe('JoinRequestsComponent', () => {
  afterEach(() => document.body.replaceChildren());

  it('lists each person with their name, and Admit and Deny buttons that name them', async () => {
    const { rows, button, root } = await render();
    expect(rows().map((row) => row.dataset['name'])).toEqual(['Ken', 'Mia']);
    expect(button(rows()[0], 'admit')?.getAttribute('aria-label')).toBe('Admit Ken');
    expect(button(rows()[1], 'deny')?.getAttribute('aria-label')).toBe('Deny Mia');
    expect(root.querySelector('h2')?.textContent).toBe('Asking to join (2)');
    expect(root.querySelector('[data-testid="admit-all"]')?.textContent?.trim()).toBe('Admit all');
  });

  it('speaks Japanese too', async () => {
    const { rows, button, root } = await render('ja');
    expect(button(rows()[0], 'admit')?.getAttribute('aria-label')).toBe('Ken さんを承認');
    expect(button(rows()[0], 'deny')?.textContent?.trim()).toBe('拒否');
    expect(root.querySelector('[data-testid="admit-all"]')?.textContent?.trim()).toBe('すべて承認');
  });

  it('says what the host chose, and hands focus to the next person when a row goes', async () => {
    const { fixture, rows, button, host, root } = await render();
    const admitKen = button(rows()[0], 'admit');
    admitKen?.focus();
    admitKen?.click();
    await fixture.whenStable();
    expect(host.answers).toEqual(['admit Ken']);
    expect(rows().map((row) => row.dataset['name'])).toEqual(['Mia']);
    expect(document.activeElement).toBe(button(rows()[0], 'admit'));

    (root.querySelector('[data-testid="admit-all"]') as HTMLButtonElement).click();
    expect(host.answers).toEqual(['admit Ken', 'all']);
  });

  it('leaves focus alone when the host is elsewhere (typing in chat) and a row goes', async () => {
    const { fixture, rows, host } = await render();
    const elsewhere = document.createElement('input');
    document.body.appendChild(elsewhere);
    elsewhere.focus();
    host.requests.set([{ requestId: 'r2', name: 'Mia' }]);
    await fixture.whenStable();
    expect(rows()).toHaveLength(1);
    expect(document.activeElement).toBe(elsewhere);
  });
});
