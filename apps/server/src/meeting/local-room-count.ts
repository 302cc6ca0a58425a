/** Sockets per meeting on this process; only the active-rooms metric reads it. */
export class LocalRoomCount {
  private readonly counts = new Map<string, number>();

  /** Adds `delta` sockets to a room and returns how many rooms have any. */
  add(roomId: string, delta: number): number {
    const count = (this.counts.get(roomId) ?? 0) + delta;
    if (count <= 0) this.counts.delete(roomId);
    else this.counts.set(roomId, count);
    return this.counts.size;
  }
}
