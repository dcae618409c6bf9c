import { afterEach, describe, expect, it, vi } from 'vitest';
import { subscribeLiveCalls, subscribeTopics } from '../../src/realtime/live-calls';
import { FakeSocket } from './support/fake-socket';

const BASE = 'http://127.0.0.1:8080';
const CALLS = '/topic/tenants/acme/calls';
const PRESENCE = '/topic/tenants/acme/presence';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  FakeSocket.opened = [];
});

/** Lets the client open its socket and plays the server's CONNECTED. */
async function connect(index: number): Promise<FakeSocket> {
  await vi.advanceTimersByTimeAsync(0);
  const socket = FakeSocket.opened[index]!;
  socket.open();
  socket.frame('CONNECTED', { version: '1.2', 'heart-beat': '0,0' });
  return socket;
}

describe('subscribeTopics', () => {
  it('shares the user feed connection, subscribes each destination once, and delivers parsed messages', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    const tokenProvider = async () => 'tok';
    const stopUser = subscribeLiveCalls(BASE, tokenProvider, { record: () => undefined });
    const first: unknown[] = [];
    const second: unknown[] = [];
    const stopFirst = subscribeTopics(BASE, tokenProvider, [CALLS, PRESENCE], {
      message: (destination, body) => first.push([destination, body]),
    });
    const stopSecond = subscribeTopics(BASE, tokenProvider, [CALLS], { message: (destination, body) => second.push([destination, body]) });
    const socket = await connect(0);

    expect(FakeSocket.opened).toHaveLength(1);
    expect([...socket.subscriptions().keys()].sort()).toEqual(
      ['/user/queue/calls', '/user/queue/offers', '/user/queue/presence', CALLS, PRESENCE].sort(),
    );
    socket.message(CALLS, '{"id":"c-1","status":"RINGING"}');
    socket.message(PRESENCE, 'not json');
    expect(first).toEqual([
      [CALLS, { id: 'c-1', status: 'RINGING' }],
      [PRESENCE, 'not json'],
    ]);
    expect(second).toEqual([[CALLS, { id: 'c-1', status: 'RINGING' }]]);

    stopFirst();
    expect(socket.unsubscribed()).toEqual([socket.subscriptions().get(PRESENCE)]);
    stopSecond();
    expect(socket.unsubscribed()).toEqual([socket.subscriptions().get(PRESENCE), socket.subscriptions().get(CALLS)]);
    // The phone's feed still uses the connection.
    expect(socket.readyState).toBe(FakeSocket.OPEN);
    stopUser();
  });

  it('subscribes at once on a connection that is already open, and again after a reconnection', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    const tokenProvider = async () => 'tok';
    const stopUser = subscribeLiveCalls(BASE, tokenProvider, { record: () => undefined });
    const first = await connect(0);
    const events: string[] = [];
    const stop = subscribeTopics(BASE, tokenProvider, [CALLS], {
      message: () => events.push('message'),
      connected: () => events.push('connected'),
      refused: (message) => events.push(`refused: ${message}`),
    });
    expect(first.subscriptions().has(CALLS)).toBe(true);
    expect(events).toEqual(['connected']);

    first.frame('ERROR', { message: 'The access token has expired' });
    first.serverCloses(1002);
    await vi.advanceTimersByTimeAsync(5_000);
    const second = await connect(1);
    expect(second.subscriptions().has(CALLS)).toBe(true);
    second.message(CALLS, '{}');
    expect(events).toEqual(['connected', 'refused: The access token has expired', 'connected', 'message']);
    stop();
    stopUser();
  });

  it('says when the connection is lost, and connected again once the client reconnected by itself', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    const events: string[] = [];
    const stop = subscribeTopics(BASE, async () => 'tok', [CALLS], {
      message: () => undefined,
      connected: () => events.push('connected'),
      disconnected: () => events.push('disconnected'),
    });
    const first = await connect(0);
    first.serverCloses(1006);
    expect(events).toEqual(['connected', 'disconnected']);
    await vi.advanceTimersByTimeAsync(5_000);
    const second = await connect(1);
    expect(second.subscriptions().has(CALLS)).toBe(true);
    expect(events).toEqual(['connected', 'disconnected', 'connected']);
    stop();
  });

  it('closes the connection when its last listener leaves', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    const stop = subscribeTopics(BASE, async () => 'tok', [CALLS], { message: () => undefined });
    const socket = await connect(0);
    stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(socket.sent.some((frame) => frame.startsWith('DISCONNECT'))).toBe(true);
    socket.serverCloses(1000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeSocket.opened).toHaveLength(1);
  });
});
