export * from './lib/error-codes';
export * from './lib/limits';
export * from './lib/room-id';
export * from './lib/schemas';
export * from './lib/events';
export * from './lib/rest';
export * from './lib/parse';
export * from './lib/text';
