/*
 * The network lab: participant networks (home NAT, carrier NAT, UDP blocked)
 * behind routers, an "internet" for the app server and coturn, impairments
 * (loss, rate caps, a link going down), all in Linux network namespaces the
 * run makes and removes. Test code only; needs root. See README "Network lab".
 */
export * from './lib/availability';
export { type ClientNetwork, INTERNET_HOST, INTERNET_PEER_RANGE, INTERNET_RANGE, NetLab, type Participant, cleanStale } from './lib/lab';
export { type LoopbackBridge } from './lib/loopback-bridge';
export { type Direction, type Loss, type NetworkKind } from './lib/rules';
