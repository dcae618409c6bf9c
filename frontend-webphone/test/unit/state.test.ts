import { describe, expect, it } from 'vitest';
import {
  IllegalTransitionError,
  PhoneStateMachine,
  isCallActive,
  nextCallState,
  nextRegistrationState,
  type CallEvent,
  type CallState,
  type RegistrationEvent,
  type RegistrationState,
} from '../../src/phone/state';

const REGISTRATION_STATES: RegistrationState[] = ['idle', 'registering', 'registered', 'failed', 'disconnected'];
const REGISTRATION_EVENTS: RegistrationEvent[] = ['start', 'registered', 'failed', 'transport-lost', 'transport-back', 'unregistered', 'stop'];
const CALL_STATES: CallState[] = ['none', 'incoming', 'outgoing', 'ringing', 'established', 'held', 'ended'];
const CALL_EVENTS: CallEvent[] = ['incoming', 'dial', 'progress', 'answered', 'held', 'resumed', 'ended', 'cleared'];

/** The intended registration transitions, written out independently of the implementation's table. */
const LEGAL_REGISTRATION: Record<string, RegistrationState> = {
  'idle start': 'registering',
  'failed start': 'registering',
  'disconnected start': 'registering',
  'registering registered': 'registered',
  'registered registered': 'registered',
  'failed registered': 'registered',
  'disconnected registered': 'registered',
  'registering failed': 'failed',
  'registered failed': 'failed',
  'failed failed': 'failed',
  'disconnected failed': 'failed',
  'registering transport-lost': 'failed',
  'registered transport-lost': 'disconnected',
  'disconnected transport-lost': 'disconnected',
  'failed transport-lost': 'failed',
  'disconnected transport-back': 'registering',
  'failed transport-back': 'registering',
  'registered unregistered': 'disconnected',
  'registering stop': 'idle',
  'registered stop': 'idle',
  'failed stop': 'idle',
  'disconnected stop': 'idle',
};

const LEGAL_CALL: Record<string, CallState> = {
  'none incoming': 'incoming',
  'ended incoming': 'incoming',
  'none dial': 'outgoing',
  'ended dial': 'outgoing',
  'outgoing progress': 'ringing',
  'ringing progress': 'ringing',
  'incoming answered': 'established',
  'outgoing answered': 'established',
  'ringing answered': 'established',
  'established held': 'held',
  'held resumed': 'established',
  'incoming ended': 'ended',
  'outgoing ended': 'ended',
  'ringing ended': 'ended',
  'established ended': 'ended',
  'held ended': 'ended',
  'ended cleared': 'none',
};

function machineIn(registration: RegistrationState, call: CallState): PhoneStateMachine {
  const machine = new PhoneStateMachine();
  const internals = machine as unknown as { registrationState: RegistrationState; callStateValue: CallState };
  internals.registrationState = registration;
  internals.callStateValue = call;
  return machine;
}

describe('registration transitions', () => {
  for (const state of REGISTRATION_STATES) {
    for (const event of REGISTRATION_EVENTS) {
      const expected = LEGAL_REGISTRATION[`${state} ${event}`];
      if (expected) {
        it(`${state} --${event}--> ${expected}`, () => {
          expect(nextRegistrationState(state, event)).toBe(expected);
          const machine = machineIn(state, 'none');
          machine.registrationEvent(event);
          expect(machine.registration).toBe(expected);
        });
      } else {
        it(`refuses ${event} in ${state}`, () => {
          expect(nextRegistrationState(state, event)).toBeNull();
          const machine = machineIn(state, 'none');
          expect(() => machine.registrationEvent(event)).toThrow(IllegalTransitionError);
          expect(machine.registration).toBe(state);
          expect(machine.tryRegistrationEvent(event)).toBe(false);
          expect(machine.registration).toBe(state);
        });
      }
    }
  }
});

describe('call transitions', () => {
  for (const state of CALL_STATES) {
    for (const event of CALL_EVENTS) {
      const expected = LEGAL_CALL[`${state} ${event}`];
      if (expected) {
        it(`${state} --${event}--> ${expected}`, () => {
          expect(nextCallState(state, event)).toBe(expected);
          const machine = machineIn('registered', state);
          machine.callEvent(event);
          expect(machine.call).toBe(expected);
        });
      } else {
        it(`refuses ${event} in ${state}`, () => {
          expect(nextCallState(state, event)).toBeNull();
          const machine = machineIn('registered', state);
          expect(() => machine.callEvent(event)).toThrow(IllegalTransitionError);
          expect(machine.call).toBe(state);
          expect(machine.tryCallEvent(event)).toBe(false);
        });
      }
    }
  }
});

describe('PhoneStateMachine', () => {
  it('starts idle with no call', () => {
    const machine = new PhoneStateMachine();
    expect(machine.registration).toBe('idle');
    expect(machine.call).toBe('none');
  });

  it('reports whether a transition changed the state', () => {
    const machine = new PhoneStateMachine();
    expect(machine.registrationEvent('start')).toBe(true);
    expect(machine.registrationEvent('registered')).toBe(true);
    expect(machine.registrationEvent('registered')).toBe(false);
  });

  it('walks a whole call: dial, ring, answer, hold, resume, hang up, clear', () => {
    const machine = new PhoneStateMachine();
    for (const [event, state] of [
      ['dial', 'outgoing'],
      ['progress', 'ringing'],
      ['answered', 'established'],
      ['held', 'held'],
      ['resumed', 'established'],
      ['ended', 'ended'],
      ['cleared', 'none'],
    ] as [CallEvent, CallState][]) {
      machine.callEvent(event);
      expect(machine.call).toBe(state);
    }
  });

  it('names the refused transition in the error', () => {
    expect(() => new PhoneStateMachine().callEvent('held')).toThrow("Illegal call transition: 'held' in state 'none'");
  });

  it('counts only calls under way as active', () => {
    expect(CALL_STATES.filter(isCallActive)).toEqual(['incoming', 'outgoing', 'ringing', 'established', 'held']);
  });
});
