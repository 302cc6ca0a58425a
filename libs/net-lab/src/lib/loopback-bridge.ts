import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { type Socket, connect, createServer } from 'node:net';

/**
 * A TCP port on a namespace's loopback, reachable from this process at
 * 127.0.0.1 on the same port number: for a browser whose driver speaks to it
 * over a WebSocket on its own loopback (Firefox's remote agent), while the
 * test process has no network path into the namespace. Unix sockets are not
 * per network namespace, so the two halves meet at one: this process accepts
 * on TCP and connects to the socket; a small Node process inside the
 * namespace accepts on the socket and connects to the port there.
 */
export interface LoopbackBridge {
  readonly port: number;
  /** Stops both halves and removes the socket file (synchronous: the lab's teardown may run on exit). */
  close(): void;
}

/** The namespace half: one socket in, one loopback connection out per client; says "ready" once listening. */
const INSIDE = `
  const net = require('node:net');
  const [path, port] = process.argv.slice(1);
  net.createServer((outer) => {
    const inner = net.connect(Number(port), '127.0.0.1');
    outer.pipe(inner).pipe(outer);
    outer.on('error', () => inner.destroy());
    inner.on('error', () => outer.destroy());
  }).listen(path, () => console.log('ready'));`;

/** Bridges 127.0.0.1:<a free port> here to the same port inside the namespace `enter` runs in. */
export async function bridgeLoopback(enter: readonly string[], socketPath: string): Promise<LoopbackBridge> {
  const connections = new Set<Socket>();
  const server = createServer((outer) => {
    connections.add(outer);
    const inner = connect(socketPath);
    outer.pipe(inner).pipe(outer);
    outer.on('error', () => inner.destroy());
    inner.on('error', () => outer.destroy());
    outer.on('close', () => connections.delete(outer));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  const inside = spawn(enter[0], [...enter.slice(1), process.execPath, '-e', INSIDE, socketPath, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const close = () => {
    server.close();
    for (const connection of connections) connection.destroy();
    inside.kill('SIGKILL');
    rmSync(socketPath, { force: true });
  };
  try {
    await insideReady(inside);
  } catch (error) {
    close();
    throw error;
  }
  return { port, close };
}

function insideReady(inside: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    inside.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    });
    inside.once('exit', (code) => reject(new Error(`the loopback bridge's namespace half ended (code ${code}) before listening`)));
    inside.once('error', reject);
  });
}
