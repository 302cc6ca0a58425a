import { LocalRoomCount } from './local-room-count';

describe('LocalRoomCount', () => {
  it('counts a room while at least one of its sockets is here', () => {
    const rooms = new LocalRoomCount();
    expect(rooms.add('room-a', +1)).toBe(1);
    expect(rooms.add('room-a', +1)).toBe(1);
    expect(rooms.add('room-b', +1)).toBe(2);
    expect(rooms.add('room-a', -1)).toBe(2);
    expect(rooms.add('room-a', -1)).toBe(1);
  });

  it('never counts a room below zero sockets', () => {
    const rooms = new LocalRoomCount();
    expect(rooms.add('room-a', -1)).toBe(0);
    expect(rooms.add('room-a', +1)).toBe(1);
  });
});
