/*
 * Driving the meeting UI in a real browser (Playwright or Puppeteer pages):
 * its own entry point because the in-page helpers are written against the
 * DOM, which server-side specs importing '@mesh-meet/testing' do not compile with.
 */
export * from './lib/meeting-ui/in-page';
export * from './lib/meeting-ui/meeting';
export * from './lib/meeting-ui/firefox';
