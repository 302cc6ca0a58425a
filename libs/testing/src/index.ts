/*
 * Helpers for the tests of every project (server, browser end-to-end,
 * deployment, benchmarks): the built server as a process, socket.io clients,
 * Chromium, Firefox, coturn, child processes with bounded lifetimes, free ports,
 * the gateway property suite (the in-page meeting helpers: ./meeting-ui). Test code only:
 * nothing in an app's production sources imports this.
 */
export * from './lib/binaries';
export * from './lib/child-process';
export * from './lib/chromium';
export * from './lib/coturn';
export * from './lib/external-services';
export * from './lib/firefox';
export * from './lib/http-ready';
export * from './lib/paths';
export * from './lib/ports';
export * from './lib/server-process';
export * from './lib/signaling-client';
export * from './lib/stun';
export * from './lib/tcp-proxy';
export * from './lib/gateway-property';
export * from './lib/wait-for';
