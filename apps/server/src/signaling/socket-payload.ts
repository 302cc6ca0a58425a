/**
 * Socket.IO hands a listener the event's arguments; Nest's adapter
 * (IoAdapter.mapPayload) reads them the same way, so a handler bound with
 * `socket.on` sees what a @SubscribeMessage handler would: a function last
 * is the ack, one argument before it is the payload, several are an array.
 */
export function payloadAndAck(args: unknown[]): { payload: unknown; ack?: (answer: unknown) => void } {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as (answer: unknown) => void) : undefined;
  const data = ack ? args.slice(0, -1) : args;
  return { payload: data.length === 1 ? data[0] : data.length ? data : undefined, ack };
}
