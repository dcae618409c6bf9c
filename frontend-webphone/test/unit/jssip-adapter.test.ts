import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SipAgentListener, SipCall, SipCallListener } from '../../src/phone/sip';

/** Stands in for JsSIP's RTCSession: an emitter with the methods the adapter calls. */
class FakeSession extends EventEmitter {
  remote_identity = { uri: { user: '+554833328530' }, display_name: 'Mariana Souza' };
  connection: unknown = { id: 'pc' };
  ended = false;
  holdDone: (() => void) | undefined;
  unholdDone: (() => void) | undefined;
  readyToReOffer = true;
  answer = vi.fn();
  terminate = vi.fn();
  sendDTMF = vi.fn();
  refer = vi.fn();
  mute = vi.fn();
  unmute = vi.fn();
  isEnded = () => this.ended;
  hold = vi.fn((_options: unknown, done: () => void) => {
    if (!this.readyToReOffer) {
      return false;
    }
    this.holdDone = done;
    return true;
  });
  unhold = vi.fn((_options: unknown, done: () => void) => {
    if (!this.readyToReOffer) {
      return false;
    }
    this.unholdDone = done;
    return true;
  });
}

const jssip = vi.hoisted(() => ({ uas: [] as unknown[], sockets: [] as string[] }));

vi.mock('jssip', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  class UA extends Emitter {
    configuration: Record<string, unknown>;
    start = vi.fn();
    stop = vi.fn();
    register = vi.fn();
    connected = false;
    isConnected = () => this.connected;
    outgoing: FakeSession | undefined;
    callOptions: { eventHandlers: Record<string, (event: unknown) => void> } | undefined;
    constructor(configuration: Record<string, unknown>) {
      super();
      this.configuration = configuration;
      jssip.uas.push(this);
    }
    call = vi.fn((_target: string, options: { eventHandlers: Record<string, (event: unknown) => void> }) => {
      this.callOptions = options;
      this.outgoing = new FakeSession();
      return this.outgoing;
    });
  }
  class WebSocketInterface {
    constructor(url: string) {
      if (!/^wss?:\/\//.test(url)) {
        throw new TypeError(`Invalid argument: ${url}`);
      }
      jssip.sockets.push(url);
    }
  }
  return { UA, WebSocketInterface };
});

const { jssipAgentFactory } = await import('../../src/phone/jssip-adapter');

type FakeUA = EventEmitter & {
  configuration: Record<string, unknown>;
  start: ReturnType<typeof vi.fn>;
  stop: ReturnType<typeof vi.fn>;
  register: ReturnType<typeof vi.fn>;
  call: ReturnType<typeof vi.fn>;
  connected: boolean;
  outgoing: FakeSession | undefined;
  callOptions: { eventHandlers: Record<string, (event: unknown) => void> } | undefined;
};

function agentListener(): SipAgentListener & { calls: string[]; incomingCalls: [SipCall, (name: string) => string | undefined][] } {
  const calls: string[] = [];
  const incomingCalls: [SipCall, (name: string) => string | undefined][] = [];
  return {
    calls,
    incomingCalls,
    connected: () => calls.push('connected'),
    disconnected: () => calls.push('disconnected'),
    registered: () => calls.push('registered'),
    unregistered: () => calls.push('unregistered'),
    registrationFailed: (cause) => calls.push(`failed:${cause}`),
    incoming: (call, header) => {
      calls.push('incoming');
      incomingCalls.push([call, header]);
    },
  };
}

function callListener(): SipCallListener & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    progress: () => events.push('progress'),
    accepted: () => events.push('accepted'),
    ended: (cause) => events.push(`ended:${cause}`),
    dtmfReceived: (tone) => events.push(`dtmf:${tone}`),
    transferred: (next) => events.push(`transferred:${next.remoteNumber}`),
    remoteStream: () => events.push('stream'),
    mediaFailed: (error) => events.push(`media:${(error as Error).name}`),
  };
}

const ACCOUNT = {
  uri: 'sip:1001@pbx.acme.example',
  authorizationUser: '1001',
  password: 'secret',
  realm: 'pbx.acme.example',
  websocketUrl: 'wss://pbx.acme.example:8089/ws',
  displayName: 'Ana (Acme)',
};

function lastUA(): FakeUA {
  return jssip.uas[jssip.uas.length - 1] as FakeUA;
}

function incomingSession(listener: ReturnType<typeof agentListener>, headers: Record<string, string> = {}) {
  const session = new FakeSession();
  const request = {
    hasHeader: (name: string) => name in headers,
    getHeader: (name: string) => headers[name],
  };
  lastUA().emit('newRTCSession', { originator: 'remote', session, request });
  const [call, header] = listener.incomingCalls[listener.incomingCalls.length - 1]!;
  return { session, call, header };
}

beforeEach(() => {
  jssip.uas.length = 0;
  jssip.sockets.length = 0;
});

describe('JsSIP agent', () => {
  it('configures the UA from the account and registers', () => {
    const agent = jssipAgentFactory(ACCOUNT, agentListener());
    const ua = lastUA();
    expect(jssip.sockets).toEqual(['wss://pbx.acme.example:8089/ws']);
    expect(ua.configuration).toMatchObject({
      uri: 'sip:1001@pbx.acme.example',
      authorization_user: '1001',
      password: 'secret',
      realm: 'pbx.acme.example',
      display_name: 'Ana (Acme)',
      register: true,
    });
    agent.start();
    expect(ua.start).toHaveBeenCalledOnce();
  });

  it('refuses a WebSocket address JsSIP cannot use', () => {
    expect(() => jssipAgentFactory({ ...ACCOUNT, websocketUrl: 'https://pbx' }, agentListener())).toThrow(/Invalid argument/);
  });

  it('forwards UA events, with the registration failure cause', () => {
    const listener = agentListener();
    jssipAgentFactory(ACCOUNT, listener);
    const ua = lastUA();
    ua.emit('connected', {});
    ua.emit('registered', {});
    ua.emit('registrationFailed', { cause: 'Authentication Error' });
    ua.emit('unregistered', {});
    ua.emit('disconnected', {});
    expect(listener.calls).toEqual(['connected', 'registered', 'failed:Authentication Error', 'unregistered', 'disconnected']);
  });

  it('re-registers on a live connection and restarts a dead one', () => {
    const agent = jssipAgentFactory(ACCOUNT, agentListener());
    const ua = lastUA();
    ua.connected = true;
    expect(agent.isConnected()).toBe(true);
    agent.register();
    expect(ua.register).toHaveBeenCalledOnce();
    agent.reconnect();
    expect(ua.stop).toHaveBeenCalledOnce();
    expect(ua.start).toHaveBeenCalledOnce();
  });

  it('passes incoming calls on with their headers, and ignores its own outgoing sessions', () => {
    const listener = agentListener();
    jssipAgentFactory(ACCOUNT, listener);
    lastUA().emit('newRTCSession', { originator: 'local', session: new FakeSession(), request: {} });
    expect(listener.calls).toEqual([]);
    const { call, header } = incomingSession(listener, { 'X-Voxdesk-Call-Id': 'c-1' });
    expect(call.direction).toBe('incoming');
    expect(call.remoteNumber).toBe('+554833328530');
    expect(call.remoteName).toBe('Mariana Souza');
    expect(header('X-Voxdesk-Call-Id')).toBe('c-1');
    expect(header('X-Api4comintegratedcall')).toBeUndefined();
  });
});

describe('JsSIP call', () => {
  it('answers with audio only, rejects with 603 or 486', () => {
    const listener = agentListener();
    jssipAgentFactory(ACCOUNT, listener);
    const { session, call } = incomingSession(listener);
    call.answer();
    expect(session.answer).toHaveBeenCalledWith(expect.objectContaining({ mediaConstraints: { audio: true, video: false } }));
    call.reject();
    expect(session.terminate).toHaveBeenLastCalledWith({ status_code: 603, reason_phrase: 'Decline' });
    call.reject(true);
    expect(session.terminate).toHaveBeenLastCalledWith({ status_code: 486, reason_phrase: 'Busy Here' });
  });

  it('sends DTMF as SIP INFO and surfaces only remote DTMF', () => {
    const listener = agentListener();
    jssipAgentFactory(ACCOUNT, listener);
    const { session, call } = incomingSession(listener);
    const events = callListener();
    call.setListener(events);
    call.sendDtmf('12#');
    expect(session.sendDTMF).toHaveBeenCalledWith('12#', { transportType: 'INFO' });
    session.emit('newDTMF', { originator: 'local', dtmf: { tone: '1' } });
    session.emit('newDTMF', { originator: 'remote', dtmf: { tone: '5' } });
    expect(events.events).toEqual(['dtmf:5']);
  });

  it('transfers blind with REFER and resolves when the far end accepts it', async () => {
    const listener = agentListener();
    jssipAgentFactory(ACCOUNT, listener);
    const { session, call } = incomingSession(listener);
    const accepted = call.refer('1002');
    expect(session.refer).toHaveBeenCalledWith('1002', expect.anything());
    const handlers = (session.refer.mock.calls[0]![1] as { eventHandlers: Record<string, (event?: unknown) => void> }).eventHandlers;
    handlers.requestSucceeded!();
    await expect(accepted).resolves.toBeUndefined();
    const refused = call.refer('1003');
    (session.refer.mock.calls[1]![1] as { eventHandlers: Record<string, (event?: unknown) => void> }).eventHandlers.requestFailed!({ cause: 'Rejected' });
    await expect(refused).rejects.toThrow('Rejected');
  });

  it('follows a REFER from the far end by placing the new call', () => {
    const listener = agentListener();
    jssipAgentFactory(ACCOUNT, listener);
    const { session, call } = incomingSession(listener);
    const events = callListener();
    call.setListener(events);
    const next = new FakeSession();
    next.remote_identity = { uri: { user: '1003' }, display_name: '' };
    const accept = vi.fn((init: (session: FakeSession) => void, options: { eventHandlers: Record<string, unknown> }) => {
      expect(options.eventHandlers).toHaveProperty('accepted');
      init(next);
    });
    session.emit('refer', { request: { refer_to: { uri: { user: '1003' } } }, accept, reject: vi.fn() });
    expect(accept).toHaveBeenCalledOnce();
    expect(events.events).toEqual(['transferred:1003']);
  });

  it('mutes and hangs up', () => {
    const listener = agentListener();
    jssipAgentFactory(ACCOUNT, listener);
    const { session, call } = incomingSession(listener);
    call.mute(true);
    call.mute(false);
    expect(session.mute).toHaveBeenCalledWith({ audio: true });
    expect(session.unmute).toHaveBeenCalledWith({ audio: true });
    call.hangup();
    expect(session.terminate).toHaveBeenCalledOnce();
    session.ended = true;
    call.hangup();
    expect(session.terminate).toHaveBeenCalledOnce();
  });

  it('resolves hold only when the re-INVITE completion callback runs', async () => {
    const listener = agentListener();
    jssipAgentFactory(ACCOUNT, listener);
    const { session, call } = incomingSession(listener);
    let held = false;
    const hold = call.hold().then(() => (held = true));
    await Promise.resolve();
    session.emit('hold', { originator: 'local' });
    await Promise.resolve();
    expect(held).toBe(false);
    session.holdDone!();
    await hold;
    expect(held).toBe(true);
    const resume = call.resume();
    session.unholdDone!();
    await expect(resume).resolves.toBeUndefined();
  });

  it('rejects hold when JsSIP refuses to send the re-INVITE', async () => {
    const listener = agentListener();
    jssipAgentFactory(ACCOUNT, listener);
    const { session, call } = incomingSession(listener);
    session.readyToReOffer = false;
    await expect(call.hold()).rejects.toThrow(/cannot be put on hold/);
  });

  it('rejects hold when the call ends first', async () => {
    const listener = agentListener();
    jssipAgentFactory(ACCOUNT, listener);
    const { session, call } = incomingSession(listener);
    const hold = call.hold();
    session.emit('ended', { cause: 'Terminated' });
    await expect(hold).rejects.toThrow(/ended/);
  });

  it('places outgoing calls with handlers attached before the session starts', () => {
    const agent = jssipAgentFactory(ACCOUNT, agentListener());
    const ua = lastUA();
    const events = callListener();
    const call = agent.call('4833328530', events);
    expect(ua.call).toHaveBeenCalledWith('4833328530', expect.objectContaining({ mediaConstraints: { audio: true, video: false } }));
    const handlers = ua.callOptions!.eventHandlers;
    handlers.progress!({});
    handlers.accepted!({});
    handlers.getusermediafailed!(new DOMException('denied', 'NotAllowedError'));
    handlers.failed!({ cause: 'Busy' });
    expect(events.events).toEqual(['progress', 'accepted', 'media:NotAllowedError', 'ended:Busy']);
    expect(call.direction).toBe('outgoing');
    expect(call.peerConnection).toEqual({ id: 'pc' });
  });

  it('hands over the remote audio stream from the peer connection', () => {
    const agent = jssipAgentFactory(ACCOUNT, agentListener());
    const ua = lastUA();
    const events = callListener();
    agent.call('1002', events);
    const connection = new EventTarget();
    ua.callOptions!.eventHandlers.peerconnection!({ peerconnection: connection });
    const track = new Event('track') as Event & { streams: unknown[]; track: unknown };
    track.streams = [{ id: 'remote' }];
    connection.dispatchEvent(track);
    expect(events.events).toEqual(['stream']);
  });
});
