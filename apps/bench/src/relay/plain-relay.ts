/**
 * Baseline (a): the floor of this stack. A plain Socket.IO 4 server with the
 * same transport settings as ours (WebSocket, 64 KiB messages, 10 s pings)
 * that relays `signal {to, data}` to the socket named `to` with no schema,
 * no membership check, no rate limit, no metrics and no framework around it.
 * `join` puts the socket in a room and answers with its id, so the load
 * generator drives it exactly like ours.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { CLIENT_EVENTS, LIMITS, SERVER_EVENTS, SIGNALING_NAMESPACE } from '@mesh-meet/protocol';

const port = Number(process.env['PORT'] ?? 0);
// Anything but Socket.IO gets a 404 (the bench polls it to know the server is up).
const http = createServer((_request, response) => void response.writeHead(404).end());
const io = new Server(http, {
  serveClient: false,
  transports: ['websocket'],
  maxHttpBufferSize: LIMITS.maxMessageBytes,
  pingInterval: 10_000,
  pingTimeout: 10_000,
});

io.of(SIGNALING_NAMESPACE).on('connection', (socket) => {
  socket.on(CLIENT_EVENTS.join, (request: { roomId: string }, ack?: (answer: unknown) => void) => {
    void socket.join(String(request?.roomId));
    ack?.({ ok: true, peerId: socket.id });
  });
  socket.on(CLIENT_EVENTS.signal, (request: { to: string; data: unknown }) => {
    // Every socket is in a room named by its own id: that is the whole routing.
    socket.to(request.to).emit(SERVER_EVENTS.signal, { from: socket.id, data: request.data });
  });
});

http.listen(port, '127.0.0.1', () => process.stdout.write(`listening on ${port}\n`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
