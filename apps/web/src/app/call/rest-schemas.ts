/* Loaded on demand by ApiClient (see `schemas()` there), so zod stays out of the first page load. */
export { createRoomResponseSchema, roomInfoSchema } from '@mesh-meet/protocol';
