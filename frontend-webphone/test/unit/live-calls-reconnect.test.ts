import { afterEach, describe, expect, it, vi } from 'vitest';
import { subscribeLiveCalls } from '../../src/realtime/live-calls';

/** A WebSocket the test plays the server of: it records the frames the client sends. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static opened: FakeSocket[] = [];

  readyState = FakeSocket.CONNECTING;
  protocol = 'v12.stomp';
  binaryType = 'arraybuffer';
  sent: string[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }

  send(data: string): void {
    this.sent.push(data);
  }

  close(): void {
    this.serverCloses(1000);
  }

  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.({});
  }

  frame(command: string, headers: Record<string, string>, body = ''): void {
    const lines = Object.entries(headers).map(([name, value]) => `${name}:${value}`);
    this.onmessage?.({ data: `${command}\n${lines.join('\n')}\n\n${body}\0` });
  }

  serverCloses(code: number): void {
    if (this.readyState === FakeSocket.CLOSED) {
      return;
    }
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ code, reason: '', wasClean: true });
  }

  connectFrame(): string | undefined {
    return this.sent.find((frame) => frame.startsWith('CONNECT'));
  }
}

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
