import { payloadAndAck } from './socket-payload';

describe('payloadAndAck', () => {
  const ack = () => undefined;

  it('takes a function last as the ack and the one argument before it as the payload', () => {
    expect(payloadAndAck([{ to: 'x' }, ack])).toEqual({ payload: { to: 'x' }, ack });
  });

  it('has no ack when the client sent none (a browser signal)', () => {
    expect(payloadAndAck([{ to: 'x' }])).toEqual({ payload: { to: 'x' }, ack: undefined });
  });

  it('passes several arguments as an array and none as undefined, like Nest does', () => {
    expect(payloadAndAck([1, 2, ack]).payload).toEqual([1, 2]);
    expect(payloadAndAck([ack]).payload).toBeUndefined();
    expect(payloadAndAck([]).payload).toBeUndefined();
  });
});
