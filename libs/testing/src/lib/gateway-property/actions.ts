import fc from 'fast-check';
import { CLIENT_EVENTS } from '@mesh-meet/protocol';

/*
 * What a client of the property suite can do, as plain data: fast-check
 * generates and shrinks these, and a failure prints them as the sequence to
 * replay. Clients, rooms and peers are named by small numbers resolved at run
 * time (client 7 of 4 is client 3), so a shrunk sequence stays meaningful.
 */

export type ClientEvent = (typeof CLIENT_EVENTS)[keyof typeof CLIENT_EVENTS];

/** How a join names itself: the ordinary ways, and the hostile ones the server must refuse. */
export type JoinAs = 'guest' | 'host' | 'wrong-host-key' | 'no-such-room' | 'resume' | 'wrong-resume-token';
/** Whose `userId` a join claims: its own browser's, another client's, or none (the server issues one). */
export type ClaimedUser = 'own' | 'someone-else' | 'none';
export type NameKind = 'plain' | 'padded' | 'controls-and-bidi';
export type TextKind = 'plain' | 'controls-and-bidi' | 'longest';
/** Which peer a signal or a removal names. */
export type PeerTarget = 'same-room' | 'other-room' | 'unknown' | 'self';

export type Request =
  | { event: typeof CLIENT_EVENTS.join; as: JoinAs; room: number; userId: ClaimedUser; name: NameKind }
  | { event: typeof CLIENT_EVENTS.signal; to: PeerTarget; pick: number; data: 'offer' | 'candidate' | 'end-of-candidates' }
  | { event: typeof CLIENT_EVENTS.mediaState; audio: boolean; video: boolean; screen: boolean }
  | { event: typeof CLIENT_EVENTS.chat; text: TextKind }
  | { event: typeof CLIENT_EVENTS.leave }
  | { event: typeof CLIENT_EVENTS.hostLock; locked: boolean }
  | { event: typeof CLIENT_EVENTS.hostRemove; to: PeerTarget; pick: number }
  | { event: typeof CLIENT_EVENTS.hostEnd }
  /** Quality samples about `to` (and, with `everyone`, every peer the client saw in its room too). */
  | { event: typeof CLIENT_EVENTS.quality; to: PeerTarget; pick: number; everyone: boolean };

/** A valid payload changed the way a careless or hostile client would. */
export type Mutation = 'wrong-type' | 'extra-field' | 'oversized-string' | 'controls-and-bidi';
/** Not the payload at all. `huge` is past the socket's message limit: the server closes that connection. */
export type Malformed = 'string' | 'number' | 'array' | 'null' | 'deeply-nested' | 'huge' | 'no-ack' | 'extra-args';
export type Form = { valid: true } | { mutation: Mutation; field: number } | { malformed: Malformed };

export type Action =
  /** `times` copies of the request; `wait`: the next action waits for their acks (otherwise they overlap it). */
  | { kind: 'send'; client: number; request: Request; form: Form; times: number; wait: boolean }
  /** `client`: the socket says goodbye; `drop`: the network goes (no goodbye, the grace period applies). */
  | { kind: 'disconnect'; client: number; how: 'client' | 'drop' }
  /** A new connection for a client that has none (a reload, a network back); a send without one connects first. */
  | { kind: 'connect'; client: number };

/**
 * Before its actions, each client connects and joins room `client % rooms`
 * (the first of each room with the host key), so every run starts in a meeting.
 */
export interface Scenario {
  clients: number;
  rooms: number;
  actions: Action[];
}

const peerTarget = fc.constantFrom<PeerTarget>('same-room', 'other-room', 'unknown', 'self');
const pick = fc.nat(7);

const requestArb: fc.Arbitrary<Request> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      event: fc.constant(CLIENT_EVENTS.join),
      as: fc.oneof(
        { weight: 4, arbitrary: fc.constant<JoinAs>('guest') },
        { weight: 2, arbitrary: fc.constantFrom<JoinAs>('host', 'resume') },
        { weight: 1, arbitrary: fc.constantFrom<JoinAs>('wrong-host-key', 'no-such-room', 'wrong-resume-token') },
      ),
      room: fc.nat(2),
      userId: fc.constantFrom<ClaimedUser>('own', 'none', 'someone-else'),
      name: fc.constantFrom<NameKind>('plain', 'padded', 'controls-and-bidi'),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      event: fc.constant(CLIENT_EVENTS.signal),
      to: peerTarget,
      pick,
      data: fc.constantFrom('offer' as const, 'candidate' as const, 'end-of-candidates' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ event: fc.constant(CLIENT_EVENTS.mediaState), audio: fc.boolean(), video: fc.boolean(), screen: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ event: fc.constant(CLIENT_EVENTS.chat), text: fc.constantFrom<TextKind>('plain', 'controls-and-bidi', 'longest') }),
  },
  { weight: 2, arbitrary: fc.record({ event: fc.constant(CLIENT_EVENTS.leave) }) },
  { weight: 1, arbitrary: fc.record({ event: fc.constant(CLIENT_EVENTS.hostLock), locked: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ event: fc.constant(CLIENT_EVENTS.hostRemove), to: peerTarget, pick }) },
  { weight: 2, arbitrary: fc.record({ event: fc.constant(CLIENT_EVENTS.quality), to: peerTarget, pick, everyone: fc.boolean() }) },
  // Ending a meeting closes it for the rest of the run: rarely.
  { weight: 1, arbitrary: fc.record({ event: fc.constant(CLIENT_EVENTS.hostEnd) }) },
);

const formArb: fc.Arbitrary<Form> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ valid: true as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      mutation: fc.constantFrom<Mutation>('wrong-type', 'extra-field', 'oversized-string', 'controls-and-bidi'),
      field: fc.nat(5),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      malformed: fc.constantFrom<Malformed>('string', 'number', 'array', 'null', 'deeply-nested', 'no-ack', 'extra-args', 'huge'),
    }),
  },
);

const client = fc.nat(5);

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      client,
      request: requestArb,
      form: formArb,
      times: fc.oneof({ weight: 5, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 4 }) }),
      wait: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), client, how: fc.constantFrom('client' as const, 'drop' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('connect' as const), client }) },
);

/** The suite's and the bench's scenario length, the same so a bench seed replays in the suite. */
export const SCENARIO_MAX_ACTIONS = 100;

/** 3-6 clients, 2-3 rooms, and a sequence of at most `maxActions` actions. */
export function scenarioArb(maxActions = SCENARIO_MAX_ACTIONS): fc.Arbitrary<Scenario> {
  return fc.record({
    clients: fc.integer({ min: 3, max: 6 }),
    rooms: fc.integer({ min: 2, max: 3 }),
    actions: fc.array(actionArb, { minLength: 1, maxLength: maxActions, size: 'max' }),
  });
}

/** Messages one scenario puts on the wire (the unit of the suite's and the bench's event counts). */
export function eventCount(scenario: Scenario): number {
  return scenario.actions.reduce((sum, action) => sum + (action.kind === 'send' ? action.times : 1), 0);
}

function describeForm(form: Form): string {
  if ('valid' in form) return '';
  if ('mutation' in form) return ` mutated:${form.mutation}#${form.field}`;
  return ` malformed:${form.malformed}`;
}

function describeRequest(request: Request): string {
  const { event, ...fields } = request;
  const details = Object.entries(fields).map(([key, value]) => `${key}=${String(value)}`);
  return `${event}(${details.join(' ')})`;
}

/** One line per action, for a counterexample a person can read and replay by hand. */
export function describeScenario(scenario: Scenario): string {
  const lines = scenario.actions.map((action, index) => {
    const who = `client ${action.client % scenario.clients}`;
    const step = `${String(index + 1).padStart(3)}. ${who}`;
    if (action.kind === 'connect') return `${step} connects`;
    if (action.kind === 'disconnect') return `${step} ${action.how === 'client' ? 'disconnects' : 'drops its connection'}`;
    const copies = action.times > 1 ? ` x${action.times}` : '';
    return `${step} ${describeRequest(action.request)}${describeForm(action.form)}${copies}${action.wait ? '' : ' (no wait)'}`;
  });
  const seated = `${scenario.clients} clients in ${scenario.rooms} rooms (client n joins room n mod ${scenario.rooms}, the first of each as its host), then:`;
  return [seated, ...lines].join('\n');
}
