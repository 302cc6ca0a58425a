import type { SignalingSocket } from '../meeting/socket-session';

const ignore = () => undefined;

/**
 * Runs `work` after every earlier turn of this socket has finished (whether
 * it succeeded or not). Joins, leaves and the disconnect take turns so that a
 * socket never holds two seats or hears two rooms: a second join starts only
 * once the first one has bound (and can leave it), and the disconnect sees the
 * seat the last join took.
 */
export function inTurn<T>(socket: SignalingSocket, work: () => Promise<T>): Promise<T> {
  const run = (socket.data.turn ?? Promise.resolve()).then(work);
  socket.data.turn = run.then(ignore, ignore);
  return run;
}
