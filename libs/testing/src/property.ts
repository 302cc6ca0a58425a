/*
 * The gateway property suite alone (issue 13), for the bench: its bundle is
 * an ES module, and the main entry point's helpers that locate the repository
 * through __dirname cannot load there.
 */
export * from './lib/gateway-property';
