import { membershipStoreContract } from './membership-store.contract';
import { MemoryMembershipStore } from './memory-membership.store';

describe('MemoryMembershipStore', () => {
  membershipStoreContract(() => new MemoryMembershipStore());
});
