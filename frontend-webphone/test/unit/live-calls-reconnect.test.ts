import { afterEach, describe, expect, it, vi } from 'vitest';
import { subscribeLiveCalls } from '../../src/realtime/live-calls';
import { FakeSocket } from './support/fake-socket';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  FakeSocket.opened = [];
});

describe('subscribeLiveCalls', () => {
  it('reconnects with a fresh token after the server refuses an expired one and closes', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    const tokens = ['first-token', 'second-token'];
    const tokenProvider = vi.fn(async () => tokens.shift() ?? 'no-more-tokens');
    const events: string[] = [];

    const unsubscribe = subscribeLiveCalls('http://127.0.0.1:8080', tokenProvider, {
      record: () => undefined,
      connected: () => events.push('connected'),
      refused: (message) => events.push(`refused: ${message}`),
    });
    await vi.advanceTimersByTimeAsync(0);
    const first = FakeSocket.opened[0];
    first.open();
    expect(first.connectFrame()).toContain('Authorization:Bearer first-token');
    first.frame('CONNECTED', { version: '1.2', 'heart-beat': '0,0' });
    expect(events).toEqual(['connected']);

    first.frame('ERROR', { message: 'The access token has expired; connect again with a fresh token' });
    first.serverCloses(1002);
    await vi.advanceTimersByTimeAsync(5_000);

    expect(FakeSocket.opened).toHaveLength(2);
    const second = FakeSocket.opened[1];
    second.open();
    expect(second.connectFrame()).toContain('Authorization:Bearer second-token');
    second.frame('CONNECTED', { version: '1.2', 'heart-beat': '0,0' });
    expect(events).toEqual([
      'connected',
      'refused: The access token has expired; connect again with a fresh token',
      'connected',
    ]);
    expect(second.sent.some((frame) => frame.startsWith('SUBSCRIBE') && frame.includes('destination:/user/queue/calls'))).toBe(true);
    unsubscribe();
  });
});
