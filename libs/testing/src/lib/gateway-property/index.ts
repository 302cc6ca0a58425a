export * from './actions';
export * from './checks';
export * from './run';
export * from './property';
export type { RoomRef } from './payloads';
export * from './rest-probe';
