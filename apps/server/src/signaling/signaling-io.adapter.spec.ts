import { EventEmitter } from 'node:events';
import type { INestApplicationContext } from '@nestjs/common';
import { from } from 'rxjs';
import { SignalingIoAdapter } from './signaling-io.adapter';

type Bind = SignalingIoAdapter['bindMessageHandlers'];

function adapter(): SignalingIoAdapter {
  return new SignalingIoAdapter(undefined as unknown as INestApplicationContext, { allowedOrigins: [] }, undefined);
}

describe('SignalingIoAdapter.bindMessageHandlers', () => {
  it('still runs a @SubscribeMessage handler and answers its ack, as Nest does', async () => {
    const socket = new EventEmitter();
    const handled: unknown[] = [];
    const handlers = [
      {
        message: 'ping',
        methodName: 'ping',
        callback: async (data: unknown) => {
          handled.push(data);
          return { pong: true };
        },
        isAckHandledManually: false,
      },
    ];
    adapter().bindMessageHandlers(socket as unknown as Parameters<Bind>[0], handlers, (result) => from(result));
    const answer = new Promise((resolve) => socket.emit('ping', { n: 1 }, resolve));
    await expect(answer).resolves.toEqual({ pong: true });
    expect(handled).toEqual([{ n: 1 }]);
  });

});
