import { Injectable, signal } from '@angular/core';

export interface ConfirmOptions {
  title: string;
  message: string;
  /** The words on the button that goes ahead ("End for everyone"), never a bare "OK". */
  confirmLabel: string;
  /** Shown in the danger colour: the action cannot be undone. */
  danger?: boolean;
}

export interface ConfirmRequest extends ConfirmOptions {
  readonly id: number;
}

/**
 * The app's yes/no question, instead of the browser's `confirm()` (which
 * blocks the page, cannot be styled or translated in its buttons, and is
 * suppressed by some in-app browsers). `ask` opens the one dialog
 * (ConfirmDialogComponent, placed once in the app's root) and resolves true
 * when the person confirms, false when they cancel or dismiss it.
 */
@Injectable({ providedIn: 'root' })
export class ConfirmDialogService {
  private readonly _open = signal<ConfirmRequest | null>(null);
  private resolve: ((confirmed: boolean) => void) | undefined;
  private nextId = 0;

  /** The question on screen, or null. */
  readonly open = this._open.asReadonly();

  ask(options: ConfirmOptions): Promise<boolean> {
    // One question at a time: a newer one (the host clicked something else) cancels the one on screen.
    this.answer(false);
    return new Promise<boolean>((resolve) => {
      this.resolve = resolve;
      this._open.set({ ...options, id: ++this.nextId });
    });
  }

  /** The person's answer to the question on screen (nothing happens when none is). */
  answer(confirmed: boolean): void {
    const resolve = this.resolve;
    this.resolve = undefined;
    this._open.set(null);
    resolve?.(confirmed);
  }
}
