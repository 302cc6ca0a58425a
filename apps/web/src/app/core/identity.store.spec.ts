import { TestBed } from '@angular/core/testing';
import { MemoryStorage, STORAGE } from './browser.tokens';
import { IdentityStore } from './identity.store';

describe('IdentityStore', () => {
  let storage: MemoryStorage;
  let identity: IdentityStore;

  beforeEach(() => {
    storage = new MemoryStorage();
    TestBed.configureTestingModule({ providers: [{ provide: STORAGE, useValue: storage }] });
    identity = TestBed.inject(IdentityStore);
  });

  it('has no identity until the server issued one', () => {
    expect(identity.identity).toBeUndefined();
  });

  it('keeps the token the server issued, across page loads (it lives in storage)', () => {
    identity.identity = 'issued.signature';
    expect(storage.getItem('mesh-meet.identity')).toBe('issued.signature');
    expect(TestBed.inject(IdentityStore).identity).toBe('issued.signature');
  });

  it('drops the userId an earlier release chose in the browser once the server issued an identity', () => {
    storage.setItem('mesh-meet.userId', '3f0c7a2e-8c1b-4d5e-9f6a-1b2c3d4e5f60');
    expect(identity.identity).toBeUndefined();
    identity.identity = 'issued.signature';
    expect(storage.getItem('mesh-meet.userId')).toBeNull();
  });

  it('keeps the stored token when handed nothing', () => {
    identity.identity = 'issued.signature';
    identity.identity = undefined;
    identity.identity = '';
    expect(identity.identity).toBe('issued.signature');
  });
});
