import { MemoryWaitingRoomStore } from './memory-waiting-room.store';
import { waitingRoomStoreContract } from './waiting-room-store.contract';

describe('MemoryWaitingRoomStore', () => {
  waitingRoomStoreContract(() => new MemoryWaitingRoomStore());
});
