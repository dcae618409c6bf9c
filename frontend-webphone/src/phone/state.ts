/** Registration state of the phone, as shown in `data-state`. */
export type RegistrationState = 'idle' | 'registering' | 'registered' | 'failed' | 'disconnected';

/** Call state of the phone, as shown in `data-call-state`. */
export type CallState = 'none' | 'incoming' | 'outgoing' | 'ringing' | 'established' | 'held' | 'ended';

/** Something that happened to the registration. */
export type RegistrationEvent =
  | 'start'
  | 'registered'
  | 'failed'
  | 'transport-lost'
  | 'transport-back'
  | 'unregistered'
  | 'stop';

/** Something that happened to the call. */
export type CallEvent =
  | 'incoming'
  | 'dial'
  | 'progress'
  | 'answered'
  | 'held'
  | 'resumed'
  | 'ended'
  | 'cleared';

const REGISTRATION: Record<RegistrationEvent, Partial<Record<RegistrationState, RegistrationState>>> = {
  start: { idle: 'registering', failed: 'registering', disconnected: 'registering' },
  // JsSIP keeps retrying after a failure or a lost transport, so a late success is legal from those states.
  registered: { registering: 'registered', registered: 'registered', failed: 'registered', disconnected: 'registered' },
  failed: { registering: 'failed', registered: 'failed', failed: 'failed', disconnected: 'failed' },
  // Losing the transport before the first registration means the server cannot be reached: that is a failure.
  'transport-lost': { registering: 'failed', registered: 'disconnected', disconnected: 'disconnected', failed: 'failed' },
  'transport-back': { disconnected: 'registering', failed: 'registering' },
  unregistered: { registered: 'disconnected' },
  stop: { registering: 'idle', registered: 'idle', failed: 'idle', disconnected: 'idle' },
};

const CALL: Record<CallEvent, Partial<Record<CallState, CallState>>> = {
  incoming: { none: 'incoming', ended: 'incoming' },
  dial: { none: 'outgoing', ended: 'outgoing' },
  progress: { outgoing: 'ringing', ringing: 'ringing' },
  answered: { incoming: 'established', outgoing: 'established', ringing: 'established' },
  held: { established: 'held' },
  resumed: { held: 'established' },
  ended: { incoming: 'ended', outgoing: 'ended', ringing: 'ended', established: 'ended', held: 'ended' },
  cleared: { ended: 'none' },
};

/** The registration state after `event`, or `null` when the event is illegal in `state`. */
export function nextRegistrationState(state: RegistrationState, event: RegistrationEvent): RegistrationState | null {
  return REGISTRATION[event][state] ?? null;
}

/** The call state after `event`, or `null` when the event is illegal in `state`. */
export function nextCallState(state: CallState, event: CallEvent): CallState | null {
  return CALL[event][state] ?? null;
}

/** Whether a call is under way (not `none` nor `ended`). */
export function isCallActive(state: CallState): boolean {
  return state !== 'none' && state !== 'ended';
}

/** Raised when a transition is illegal: the machine refuses it and keeps its state. */
export class IllegalTransitionError extends Error {
  constructor(kind: 'registration' | 'call', state: string, event: string) {
    super(`Illegal ${kind} transition: '${event}' in state '${state}'`);
    this.name = 'IllegalTransitionError';
  }
}

/** Holds the phone's registration and call states and applies only legal transitions. */
export class PhoneStateMachine {
  private registrationState: RegistrationState = 'idle';
  private callStateValue: CallState = 'none';

  get registration(): RegistrationState {
    return this.registrationState;
  }

  get call(): CallState {
    return this.callStateValue;
  }

  /** Applies a registration event; returns whether the state changed, throws when the event is illegal. */
  registrationEvent(event: RegistrationEvent): boolean {
    const next = nextRegistrationState(this.registrationState, event);
    if (next === null) {
      throw new IllegalTransitionError('registration', this.registrationState, event);
    }
    const changed = next !== this.registrationState;
    this.registrationState = next;
    return changed;
  }

  /** Applies a call event; returns whether the state changed, throws when the event is illegal. */
  callEvent(event: CallEvent): boolean {
    const next = nextCallState(this.callStateValue, event);
    if (next === null) {
      throw new IllegalTransitionError('call', this.callStateValue, event);
    }
    const changed = next !== this.callStateValue;
    this.callStateValue = next;
    return changed;
  }

  /** Like {@link registrationEvent}, but ignores an illegal event; for notifications that may arrive late. */
  tryRegistrationEvent(event: RegistrationEvent): boolean {
    return nextRegistrationState(this.registrationState, event) !== null && this.registrationEvent(event);
  }

  /** Like {@link callEvent}, but ignores an illegal event; for notifications that may arrive late. */
  tryCallEvent(event: CallEvent): boolean {
    return nextCallState(this.callStateValue, event) !== null && this.callEvent(event);
  }
}
