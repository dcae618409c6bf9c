import { describe, expect, it } from 'vitest';
import { Phone, PhoneActionError } from '../../src/phone/phone';
import { ACCOUNT, FakeCall, fakeFactory, type FakeAgent } from './support/fake-sip';

function setUp(now = () => 1_000) {
  const factory = fakeFactory();
  const phone = new Phone({ agentFactory: factory, now });
  const events: [string, unknown][] = [];
  for (const type of ['registration', 'incoming', 'call-state', 'dtmf', 'call-ended', 'media-problem']) {
    phone.addEventListener(type, (event) => events.push([type, (event as CustomEvent).detail]));
  }
  const agent = () => factory.agents[factory.agents.length - 1] as FakeAgent;
  const registered = () => {
    phone.start(ACCOUNT);
    agent().listener.connected();
    agent().listener.registered();
  };
  return { phone, factory, events, agent, registered };
}

describe('Phone registration', () => {
  it('registers: idle → registering → registered', () => {
    const { phone, agent, events } = setUp();
    phone.start(ACCOUNT);
    expect(phone.state).toBe('registering');
    expect(agent().actions).toEqual(['start']);
    agent().listener.connected();
    agent().listener.registered();
    expect(phone.state).toBe('registered');
    expect(events.filter(([type]) => type === 'registration').map(([, d]) => (d as { state: string }).state)).toEqual([
      'registering',
      'registered',
    ]);
  });

  it('reports a wrong password once, in plain words', () => {
    const { phone, agent, events } = setUp();
    phone.start(ACCOUNT);
    agent().listener.registrationFailed('Authentication Error');
    agent().listener.registrationFailed('Authentication Error');
    expect(phone.state).toBe('failed');
    expect(phone.failure?.problem).toBe('wrong-password');
    expect(events.filter(([type, d]) => type === 'registration' && (d as { state: string }).state === 'failed')).toHaveLength(1);
  });

  it('calls a WebSocket that closes before registering "server unreachable", and recovers when it connects', () => {
    const { phone, agent } = setUp();
    phone.start(ACCOUNT);
    agent().listener.disconnected();
    expect(phone.state).toBe('failed');
    expect(phone.failure?.problem).toBe('server-unreachable');
    agent().listener.connected();
    expect(phone.state).toBe('registering');
    agent().listener.registered();
    expect(phone.state).toBe('registered');
    expect(phone.failure).toBeNull();
  });

  it('shows a lost connection as disconnected, then re-registers when the browser is online again', () => {
    const { phone, agent, registered } = setUp();
    registered();
    agent().listener.disconnected();
    expect(phone.state).toBe('disconnected');
    phone.networkBack();
    expect(agent().actions).toContain('reconnect');
    expect(phone.state).toBe('registering');
    agent().listener.registered();
    expect(phone.state).toBe('registered');
  });

  it('reconnects afresh when the browser comes back online without a call', () => {
    const { phone, agent, registered } = setUp();
    registered();
    phone.networkLost();
    expect(phone.state).toBe('disconnected');
    agent().connected = true;
    phone.networkBack();
    expect(agent().actions.at(-1)).toBe('reconnect');
    expect(phone.state).toBe('registering');
  });

  it('only refreshes the registration when the browser comes back online during a call', () => {
    const { phone, agent, registered } = setUp();
    registered();
    phone.dial('1002');
    phone.networkLost();
    agent().connected = true;
    agent().registered = true;
    phone.networkBack();
    expect(agent().actions.at(-1)).toBe('register');
    expect(agent().actions).not.toContain('reconnect');
    expect(phone.state).toBe('registered');
    expect(phone.callState).toBe('outgoing');
  });

  it('calls going offline while registering "server unreachable"', () => {
    const { phone } = setUp();
    phone.networkLost();
    expect(phone.state).toBe('idle');
    phone.start(ACCOUNT);
    phone.networkLost();
    expect(phone.state).toBe('failed');
    expect(phone.failure?.problem).toBe('server-unreachable');
  });

  it('turns a factory error (bad settings) into a failed registration', () => {
    const phone = new Phone({
      agentFactory: () => {
        throw new TypeError('Invalid argument: https://pbx');
      },
    });
    phone.start(ACCOUNT);
    expect(phone.state).toBe('failed');
    expect(phone.failure?.problem).toBe('registration-failed');
  });

  it('stops: unregisters, and ignores late news from the old agent', () => {
    const { phone, agent, registered } = setUp();
    registered();
    const old = agent();
    phone.stop();
    expect(old.actions).toContain('stop');
    expect(phone.state).toBe('idle');
    old.listener.registered();
    old.listener.disconnected();
    expect(phone.state).toBe('idle');
  });
});

describe('Phone calls', () => {
  it('dials only when registered, cleaning the number', () => {
    const { phone, agent, registered } = setUp();
    expect(() => phone.dial('1002')).toThrow(PhoneActionError);
    registered();
    phone.dial(' (48) 3332-8530 ');
    expect(agent().actions.at(-1)).toBe('call:4833328530');
    expect(phone.callState).toBe('outgoing');
    expect(() => phone.dial('1003')).toThrow(/already/);
  });

  it('follows an outgoing call to the end', () => {
    const { phone, agent, events, registered } = setUp();
    registered();
    phone.dial('1002');
    const call = agent().placed[0]!;
    call.listener!.progress();
    expect(phone.callState).toBe('ringing');
    call.listener!.accepted();
    expect(phone.callState).toBe('established');
    expect(phone.call?.establishedAt).toBe(1_000);
    call.listener!.ended('Terminated');
    expect(phone.callState).toBe('ended');
    expect(events.find(([type]) => type === 'call-ended')?.[1]).toEqual({ cause: 'hangup', sipCause: 'Terminated', established: true });
    phone.clearEndedCall();
    expect(phone.callState).toBe('none');
  });

  it('reports an unanswered call as not established', () => {
    const { phone, agent, events, registered } = setUp();
    registered();
    phone.dial('1002');
    agent().placed[0]!.listener!.ended('Busy');
    expect(events.find(([type]) => type === 'call-ended')?.[1]).toMatchObject({ cause: 'busy', established: false });
  });

  it('rings for an incoming call without auto-answer, and answers on request', () => {
    const { phone, agent, events, registered } = setUp();
    registered();
    const call = agent().ring();
    expect(phone.callState).toBe('incoming');
    expect(call.actions).toEqual([]);
    expect(events.find(([type]) => type === 'incoming')?.[1]).toEqual({ number: '+554833328530', name: 'Mariana Souza', autoAnswer: false });
    phone.answer();
    expect(call.actions).toEqual(['answer']);
    call.listener!.accepted();
    expect(phone.callState).toBe('established');
  });

  it('answers by itself the agent leg of its own click-to-call', () => {
    const { phone, agent, events, registered } = setUp();
    registered();
    phone.pending.requested({ id: 'c-1', status: 'RINGING', number: '+554833328530', agentExtension: '1001' });
    const call = agent().ring({ 'X-Voxdesk-Call-Id': 'c-1' });
    expect(call.actions).toEqual(['answer']);
    expect(events.find(([type]) => type === 'incoming')?.[1]).toMatchObject({ callId: 'c-1', autoAnswer: true });
    expect(phone.call?.callId).toBe('c-1');
  });

  it('does not answer a call whose header names a call that is not ours', () => {
    const { phone, agent, registered } = setUp();
    registered();
    phone.pending.requested({ id: 'c-1', status: 'RINGING', number: '1' });
    expect(agent().ring({ 'X-Voxdesk-Call-Id': 'c-9' }).actions).toEqual([]);
    expect(phone.callState).toBe('incoming');
  });

  it('does not answer the same number without the header', () => {
    const { phone, agent, registered } = setUp();
    registered();
    phone.pending.requested({ id: 'c-1', status: 'RINGING', number: '+554833328530' });
    expect(agent().ring({}, new FakeCall('incoming', '+554833328530')).actions).toEqual([]);
  });

  it('answers an API4COM agent leg within 60 s of the click, not after', () => {
    let now = 0;
    const { phone, agent, registered } = setUp(() => now);
    registered();
    phone.pending.requested({ id: 'c-1', status: 'RINGING', number: '1' });
    now = 61_000;
    const late = agent().ring({ 'X-Api4comintegratedcall': 'true' });
    expect(late.actions).toEqual([]);
    phone.reject();
    late.listener!.ended('Rejected');
    phone.pending.requested({ id: 'c-2', status: 'RINGING', number: '1' });
    now = 70_000;
    const call = agent().ring({ 'X-Api4comintegratedcall': 'true' });
    expect(call.actions).toEqual(['answer']);
  });

  it('turns away a second call as busy', () => {
    const { phone, agent, registered } = setUp();
    registered();
    phone.dial('1002');
    const second = agent().ring();
    expect(second.actions).toEqual(['reject:busy']);
    expect(phone.callState).toBe('outgoing');
  });

  it('declines and hangs up the right way for the state', () => {
    const { phone, agent, registered } = setUp();
    registered();
    const incoming = agent().ring();
    phone.hangup();
    expect(incoming.actions).toEqual(['reject']);
    incoming.listener!.ended('Rejected');
    phone.dial('1002');
    phone.hangup();
    expect(agent().placed[0]!.actions).toEqual(['hangup']);
  });

  it('becomes held only after the hold re-INVITE completed, and refuses a second one meanwhile', async () => {
    const { phone, agent, registered } = setUp();
    registered();
    phone.dial('1002');
    const call = agent().placed[0]!;
    call.listener!.accepted();
    const hold = phone.hold();
    expect(phone.callState).toBe('established');
    expect(phone.busy).toBe(true);
    await expect(phone.hold()).rejects.toThrow(/already under way/);
    call.completeReInvite();
    await hold;
    expect(phone.callState).toBe('held');
    await expect(phone.hold()).rejects.toThrow(PhoneActionError);
    const resume = phone.resume();
    call.completeReInvite();
    await resume;
    expect(phone.callState).toBe('established');
    expect(call.actions).toEqual(['hold', 'resume']);
  });

  it('stays established when the hold fails', async () => {
    const { phone, agent, registered } = setUp();
    registered();
    phone.dial('1002');
    const call = agent().placed[0]!;
    call.listener!.accepted();
    const hold = phone.hold();
    call.failReInvite();
    await expect(hold).rejects.toThrow('refused');
    expect(phone.callState).toBe('established');
    expect(phone.busy).toBe(false);
  });

  it('sends DTMF, transfers and mutes only during a call', () => {
    const { phone, agent, events, registered } = setUp();
    registered();
    expect(() => phone.sendDtmf('1')).toThrow(PhoneActionError);
    phone.dial('1002');
    const call = agent().placed[0]!;
    expect(() => phone.sendDtmf('1')).toThrow(/established/);
    call.listener!.accepted();
    expect(() => phone.sendDtmf('x')).toThrow(/not a DTMF tone/);
    phone.sendDtmf('12#');
    phone.mute(true);
    expect(phone.call?.muted).toBe(true);
    call.listener!.dtmfReceived('7');
    expect(call.actions).toEqual(['dtmf:12#', 'mute:true']);
    expect(events.filter(([type]) => type === 'dtmf').map(([, d]) => d)).toEqual([{ tone: '7' }]);
  });

  it('hangs up its leg once the far end accepted a blind transfer', async () => {
    const { phone, agent, registered } = setUp();
    registered();
    await expect(phone.transfer('1003')).rejects.toThrow(PhoneActionError);
    phone.dial('1002');
    const call = agent().placed[0]!;
    call.listener!.accepted();
    await phone.transfer(' 10-03 ');
    expect(call.actions).toEqual(['refer:1003', 'hangup']);
  });

  it('keeps the call when the transfer is refused', async () => {
    const { phone, agent, registered } = setUp();
    registered();
    phone.dial('1002');
    const call = agent().placed[0]!;
    call.listener!.accepted();
    call.referOutcome = 'refuse';
    await expect(phone.transfer('1003')).rejects.toThrow(/refused/);
    expect(call.actions).toEqual(['refer:1003']);
    expect(phone.callState).toBe('established');
  });

  it('follows a transfer by the far end: the old call ends, the new one takes over', () => {
    const { phone, agent, events, registered } = setUp();
    registered();
    const first = agent().ring();
    phone.answer();
    first.listener!.accepted();
    const next = new FakeCall('outgoing', '1003', '');
    first.listener!.transferred(next);
    expect(events.filter(([type]) => type === 'call-ended').map(([, d]) => (d as { cause: string }).cause)).toEqual(['transferred']);
    expect(phone.callState).toBe('outgoing');
    expect(phone.call?.number).toBe('1003');
    first.listener!.ended('Terminated');
    expect(phone.callState).toBe('outgoing');
    next.listener!.accepted();
    expect(phone.callState).toBe('established');
    expect(first.actions).toEqual(['answer', 'hangup']);
  });

  it('reports a microphone problem of the current call', () => {
    const { phone, agent, events, registered } = setUp();
    registered();
    phone.dial('1002');
    agent().placed[0]!.listener!.mediaFailed(new DOMException('no', 'NotFoundError'));
    expect(events.find(([type]) => type === 'media-problem')?.[1]).toEqual({ problem: 'microphone-missing' });
  });

  it('ignores late events of an earlier call', () => {
    const { phone, agent, registered } = setUp();
    registered();
    phone.dial('1002');
    const first = agent().placed[0]!;
    first.listener!.ended('Busy');
    phone.dial('1003');
    first.listener!.accepted();
    expect(phone.callState).toBe('outgoing');
  });
});
