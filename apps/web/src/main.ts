import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';

// The server's Content-Security-Policy has no 'unsafe-eval'. zod compiles fast
// parsers with `new Function` and probes for it on first use; even the caught
// probe is reported as a CSP violation. `jitless` skips both (the browser's
// payloads are small). zod 4 takes its config from this global, so setting it
// here, before the lazy chunks load zod, keeps zod out of the first page load
// (importing zod's `config` would pull all of zod into main.js).
const zodHost = globalThis as { __zod_globalConfig?: Record<string, unknown> };
zodHost.__zod_globalConfig = { ...zodHost.__zod_globalConfig, jitless: true };

bootstrapApplication(App, appConfig).catch((error: unknown) => console.error(error));
