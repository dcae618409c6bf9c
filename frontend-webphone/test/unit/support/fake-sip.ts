import type { HeaderReader } from '../../../src/phone/auto-answer';
import type { SipAccount, SipAgent, SipAgentFactory, SipAgentListener, SipCall, SipCallListener } from '../../../src/phone/sip';

/** A scripted SIP call: records what the phone asked and lets the test play the far end. */
export class FakeCall implements SipCall {
  listener: SipCallListener | undefined;
  actions: string[] = [];
  peerConnection: RTCPeerConnection | null = null;
  private pendingReInvite: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(
    readonly direction: 'incoming' | 'outgoing',
    readonly remoteNumber = '+554833328530',
    readonly remoteName = 'Mariana Souza',
  ) {}

  setListener(listener: SipCallListener): void {
    this.listener = listener;
  }
  answer(): void {
    this.actions.push('answer');
  }
  reject(busy?: boolean): void {
    this.actions.push(busy ? 'reject:busy' : 'reject');
  }
  hangup(): void {
    this.actions.push('hangup');
  }
  hold(): Promise<void> {
    this.actions.push('hold');
    return new Promise((resolve, reject) => (this.pendingReInvite = { resolve, reject }));
  }
  resume(): Promise<void> {
    this.actions.push('resume');
    return new Promise((resolve, reject) => (this.pendingReInvite = { resolve, reject }));
  }
  mute(on: boolean): void {
    this.actions.push(`mute:${on}`);
  }
  sendDtmf(tones: string): void {
    this.actions.push(`dtmf:${tones}`);
  }
  referOutcome: 'accept' | 'refuse' = 'accept';
  refer(target: string): Promise<void> {
    this.actions.push(`refer:${target}`);
    return this.referOutcome === 'accept' ? Promise.resolve() : Promise.reject(new Error('Rejected'));
  }

  /** The far end answered the re-INVITE. */
  completeReInvite(): void {
    this.pendingReInvite?.resolve();
    this.pendingReInvite = undefined;
  }
  failReInvite(): void {
    this.pendingReInvite?.reject(new Error('refused'));
    this.pendingReInvite = undefined;
  }
}

/** A scripted SIP user agent. */
export class FakeAgent implements SipAgent {
  actions: string[] = [];
  connected = false;
  placed: FakeCall[] = [];

  constructor(
    readonly account: SipAccount,
    readonly listener: SipAgentListener,
  ) {}

  start(): void {
    this.actions.push('start');
  }
  stop(): void {
    this.actions.push('stop');
  }
  register(): void {
    this.actions.push('register');
  }
  reconnect(): void {
    this.actions.push('reconnect');
  }
  registered = false;
  isConnected(): boolean {
    return this.connected;
  }
  isRegistered(): boolean {
    return this.registered;
  }
  call(target: string, listener: SipCallListener): SipCall {
    this.actions.push(`call:${target}`);
    const call = new FakeCall('outgoing', target, '');
    call.setListener(listener);
    this.placed.push(call);
    return call;
  }

  /** Rings the phone with an incoming call carrying `headers`. */
  ring(headers: Record<string, string> = {}, call = new FakeCall('incoming')): FakeCall {
    const reader: HeaderReader = (name) => headers[name];
    this.listener.incoming(call, reader);
    return call;
  }
}

/** A factory remembering every agent it made. */
export function fakeFactory(): SipAgentFactory & { agents: FakeAgent[] } {
  const agents: FakeAgent[] = [];
  const factory = ((account: SipAccount, listener: SipAgentListener) => {
    const agent = new FakeAgent(account, listener);
    agents.push(agent);
    return agent;
  }) as unknown as SipAgentFactory & { agents: FakeAgent[] };
  factory.agents = agents;
  return factory;
}

export const ACCOUNT: SipAccount = {
  uri: 'sip:1001@pbx.acme.example',
  authorizationUser: '1001',
  password: 'secret',
  websocketUrl: 'wss://pbx.acme.example:8089/ws',
  displayName: 'Ana (Acme)',
  extension: '1001',
};
