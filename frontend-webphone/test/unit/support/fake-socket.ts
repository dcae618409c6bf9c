/** A WebSocket the test plays the server of: it records the frames the client sends. */
export class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static opened: FakeSocket[] = [];

  readyState = FakeSocket.CONNECTING;
  protocol = 'v12.stomp';
  binaryType = 'arraybuffer';
  sent: string[] = [];
  private messages = 0;
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

  /** The SUBSCRIBE frames sent so far, as destination → subscription id. */
  subscriptions(): Map<string, string> {
    const found = new Map<string, string>();
    for (const frame of this.sent) {
      if (frame.startsWith('SUBSCRIBE')) {
        found.set(header(frame, 'destination'), header(frame, 'id'));
      }
    }
    return found;
  }

  /** The subscription ids of the UNSUBSCRIBE frames sent so far. */
  unsubscribed(): string[] {
    return this.sent.filter((frame) => frame.startsWith('UNSUBSCRIBE')).map((frame) => header(frame, 'id'));
  }

  /** Delivers a MESSAGE to the client's subscription of `destination`. */
  message(destination: string, body: string): void {
    const subscription = this.subscriptions().get(destination);
    if (!subscription) {
      throw new Error(`the client has not subscribed to ${destination}`);
    }
    this.frame('MESSAGE', { destination, subscription, 'message-id': `m-${++this.messages}` }, body);
  }

}

function header(frame: string, name: string): string {
  const line = frame.split('\n').find((candidate) => candidate.startsWith(`${name}:`));
  return line ? line.slice(name.length + 1) : '';
}
