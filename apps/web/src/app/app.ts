import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<main><h1>Mesh Meet</h1><p>The meeting UI is on its way.</p></main>`,
  styles: `main { padding: 2rem; }`,
})
export class App {}
