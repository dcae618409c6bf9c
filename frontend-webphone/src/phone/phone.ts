import { PendingCalls, type AutoAnswerDecision, type HeaderReader } from './auto-answer';
import {
  DISCONNECTED_BEFORE_REGISTERING,
  TRANSFERRED,
  endCause,
  microphoneProblem,
  registrationFailure,
  type EndCause,
  type Problem,
  type RegistrationFailure,
} from './reasons';
import { dialTarget, type SipAccount, type SipAgent, type SipAgentFactory, type SipCall, type SipCallListener } from './sip';
import { isCallActive, PhoneStateMachine, type CallEvent, type CallState, type RegistrationEvent, type RegistrationState } from './state';

/** What the phone knows about the current (or just ended) call. */
export interface CallInfo {
  direction: 'incoming' | 'outgoing';
  number: string;
  name: string;
  callId?: string;
  autoAnswer: boolean;
  /** Local time the call was established, for the timer. */
  establishedAt?: number;
  muted: boolean;
}

/** Detail of the phone's `incoming` event. */
export interface IncomingDetail {
  number: string;
  name: string;
  callId?: string;
  autoAnswer: boolean;
}

/** Detail of the phone's `call-ended` event. */
export interface CallEndedDetail {
  cause: EndCause;
  sipCause: string;
  established: boolean;
  callId?: string;
}

/** Options of {@link Phone}. */
export interface PhoneOptions {
  agentFactory: SipAgentFactory;
  now?: () => number;
}

/** Why a phone action was refused; the i18n key is `action.<code>`. */
export type PhoneActionCode =
  | 'no-target'
  | 'not-registered'
  | 'call-under-way'
  | 'no-call'
  | 'not-established'
  | 'not-held'
  | 'bad-tone'
  | 're-invite-under-way'
  | 'transfer-refused';

/** Raised when a phone action is not possible in the current state. */
export class PhoneActionError extends Error {
  readonly code: PhoneActionCode;

  constructor(code: PhoneActionCode, message: string) {
    super(message);
    this.name = 'PhoneActionError';
    this.code = code;
  }
}

const DTMF_TONES = /^[0-9A-Da-d#*,]+$/;

/**
 * The framework-free phone: drives a {@link SipAgent} through the {@link PhoneStateMachine}, applies the
 * auto-answer rules and reports everything as DOM events (`registration`, `incoming`, `call-state`, `dtmf`,
 * `call-ended`, `remote-stream`, `media-problem`, `change`).
 */
export class Phone extends EventTarget {
  readonly pending: PendingCalls;
  private readonly machine = new PhoneStateMachine();
  /** Makes the SIP user agent at the next {@link start}. */
  agentFactory: SipAgentFactory;
  private readonly now: () => number;
  private agent: SipAgent | null = null;
  private session: SipCall | null = null;
  private info: CallInfo | null = null;
  private failureValue: RegistrationFailure | null = null;
  private reInviting = false;
  /** The leg we were transferred away from; hung up once the new call settles. */
  private previousLeg: SipCall | null = null;

  constructor(options: PhoneOptions) {
    super();
    this.agentFactory = options.agentFactory;
    this.now = options.now ?? Date.now;
    this.pending = new PendingCalls(this.now);
  }

  get state(): RegistrationState {
    return this.machine.registration;
  }

  get callState(): CallState {
    return this.machine.call;
  }

  get call(): Readonly<CallInfo> | null {
    return this.info;
  }

  get failure(): RegistrationFailure | null {
    return this.failureValue;
  }

  get peerConnection(): RTCPeerConnection | null {
    return this.session?.peerConnection ?? null;
  }

  /** Whether a hold or resume re-INVITE is under way. */
  get busy(): boolean {
    return this.reInviting;
  }

  /** Registers with `account`, replacing any earlier registration. */
  start(account: SipAccount): void {
    this.stop();
    this.pending.setOwnExtension(account.extension ?? null);
    this.failureValue = null;
    this.transition('start');
    try {
      const agent = this.agentFactory(account, {
        connected: () => this.agent === agent && this.transition('transport-back', true),
        disconnected: () => this.agent === agent && this.onDisconnected(),
        registered: () => this.agent === agent && this.onRegistered(),
        unregistered: () => this.agent === agent && this.transition('unregistered', true),
        registrationFailed: (cause) => this.agent === agent && this.fail(registrationFailure(cause)),
        incoming: (call, header) => this.agent === agent && this.onIncoming(call, header),
      });
      this.agent = agent;
      agent.start();
    } catch (error) {
      this.agent = null;
      this.fail(registrationFailure(error instanceof Error ? error.message : String(error)));
    }
  }

  /** Hangs up, unregisters and closes the connection. */
  stop(): void {
    const agent = this.agent;
    this.agent = null;
    if (this.session) {
      this.finishCall('Terminated');
    }
    agent?.stop();
    this.transition('stop', true);
  }

  /** The browser went offline: the registration cannot be trusted any more. */
  networkLost(): void {
    if (this.agent) {
      this.onDisconnected();
    }
  }

  /**
   * The browser is online again: register at once rather than after the library's back-off. Without a call,
   * a fresh connection is safest (the old one may be half-open after a network change); during a call,
   * reconnecting would drop it, so the registration is only refreshed over the current connection.
   */
  networkBack(): void {
    const agent = this.agent;
    if (!agent) {
      return;
    }
    if (isCallActive(this.callState) && agent.isConnected()) {
      agent.register();
      // JsSIP reports only a change of registration, and it still counts itself registered.
      if (agent.isRegistered()) {
        this.onRegistered();
      }
      return;
    }
    this.transition('transport-back', true);
    agent.reconnect();
  }

  /** Calls a number, extension or SIP URI. */
  dial(target: string): void {
    const cleaned = dialTarget(target);
    if (!cleaned) {
      throw new PhoneActionError('no-target', 'Nothing to call.');
    }
    if (!this.agent || this.state !== 'registered') {
      throw new PhoneActionError('not-registered', 'The phone is not registered.');
    }
    if (isCallActive(this.callState)) {
      throw new PhoneActionError('call-under-way', 'A call is already under way.');
    }
    this.info = { direction: 'outgoing', number: cleaned, name: '', autoAnswer: false, muted: false };
    this.callTransition('dial');
    let placed: SipCall | null = null;
    try {
      placed = this.agent.call(cleaned, this.callListener(() => placed));
      this.session = placed;
    } catch (error) {
      this.session = null;
      this.finishCall(error instanceof Error ? error.message : String(error));
    }
  }

  answer(): void {
    if (this.callState !== 'incoming' || !this.session) {
      throw new PhoneActionError('no-call', 'There is no call to answer.');
    }
    this.session.answer();
  }

  /** Declines the ringing incoming call. */
  reject(): void {
    if (this.callState !== 'incoming' || !this.session) {
      throw new PhoneActionError('no-call', 'There is no call to reject.');
    }
    this.session.reject();
  }

  hangup(): void {
    if (!this.session || !isCallActive(this.callState)) {
      throw new PhoneActionError('no-call', 'There is no call to hang up.');
    }
    if (this.callState === 'incoming') {
      this.session.reject();
    } else {
      this.session.hangup();
    }
  }

  /** Puts the call on hold; resolves once the re-INVITE completed and the state is `held`. */
  async hold(): Promise<void> {
    if (this.callState !== 'established' || !this.session) {
      throw new PhoneActionError('not-established', 'Only an established call can be put on hold.');
    }
    await this.reInvite(this.session, () => this.session!.hold(), 'held');
  }

  /** Takes the call off hold; resolves once the re-INVITE completed and the state is `established`. */
  async resume(): Promise<void> {
    if (this.callState !== 'held' || !this.session) {
      throw new PhoneActionError('not-held', 'The call is not on hold.');
    }
    await this.reInvite(this.session, () => this.session!.resume(), 'resumed');
  }

  mute(on: boolean): void {
    if (!this.session || !this.info || !isCallActive(this.callState) || this.callState === 'incoming') {
      throw new PhoneActionError('no-call', 'There is no call to mute.');
    }
    this.session.mute(on);
    this.info.muted = on;
    this.changed();
  }

  /** Sends DTMF tones as SIP INFO. */
  sendDtmf(tones: string): void {
    if (!DTMF_TONES.test(tones)) {
      throw new PhoneActionError('bad-tone', `'${tones}' is not a DTMF tone: use 0-9, *, # or A-D.`);
    }
    if (!this.session || (this.callState !== 'established' && this.callState !== 'held')) {
      throw new PhoneActionError('not-established', 'DTMF needs an established call.');
    }
    this.session.sendDtmf(tones);
  }

  /** Blind transfer with REFER; once the far end accepted it, this leg hangs up. */
  async transfer(target: string): Promise<void> {
    const cleaned = dialTarget(target);
    if (!cleaned) {
      throw new PhoneActionError('no-target', 'Nowhere to transfer to.');
    }
    const session = this.session;
    if (!session || (this.callState !== 'established' && this.callState !== 'held')) {
      throw new PhoneActionError('not-established', 'Only an established call can be transferred.');
    }
    try {
      await session.refer(cleaned);
    } catch (error) {
      throw new PhoneActionError('transfer-refused', `The transfer to ${cleaned} was refused: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (this.session === session) {
      session.hangup();
    }
  }

  /** Forgets the ended call (after its note was saved or dismissed). */
  clearEndedCall(): void {
    if (this.callState === 'ended') {
      this.info = null;
      this.callTransition('cleared');
    }
  }

  private async reInvite(session: SipCall, send: () => Promise<void>, event: CallEvent): Promise<void> {
    if (this.reInviting) {
      throw new PhoneActionError('re-invite-under-way', 'A hold or resume is already under way.');
    }
    this.reInviting = true;
    this.changed();
    try {
      await send();
      if (this.session === session) {
        this.callTransition(event);
      }
    } finally {
      this.reInviting = false;
      this.changed();
    }
  }

  private onRegistered(): void {
    this.failureValue = null;
    // Also called while already registered (see networkBack): only a change of state is news.
    if (this.machine.tryRegistrationEvent('registered')) {
      this.emit('registration', { state: this.state, failure: null });
    }
    this.changed();
  }

  private onDisconnected(): void {
    if (this.state === 'registering') {
      this.fail(registrationFailure(DISCONNECTED_BEFORE_REGISTERING));
    } else {
      this.transition('transport-lost', true);
    }
  }

  private fail(failure: RegistrationFailure): void {
    const repeated = this.state === 'failed' && this.failureValue?.problem === failure.problem;
    this.failureValue = failure;
    this.machine.tryRegistrationEvent('failed');
    if (!repeated && this.state === 'failed') {
      this.emit('registration', { state: this.state, failure });
    }
    this.changed();
  }

  private onIncoming(call: SipCall, header: HeaderReader): void {
    if (isCallActive(this.callState)) {
      call.reject(true);
      return;
    }
    const decision: AutoAnswerDecision = this.pending.decide(header);
    this.session = call;
    this.info = {
      direction: 'incoming',
      number: call.remoteNumber,
      name: call.remoteName,
      ...(decision.callId ? { callId: decision.callId } : {}),
      autoAnswer: decision.autoAnswer,
      muted: false,
    };
    call.setListener(this.callListener(() => call));
    this.callTransition('incoming');
    const detail: IncomingDetail = {
      number: this.info.number,
      name: this.info.name,
      ...(decision.callId ? { callId: decision.callId } : {}),
      autoAnswer: decision.autoAnswer,
    };
    this.emit('incoming', detail);
    if (decision.autoAnswer && decision.callId) {
      this.pending.markAnswered(decision.callId);
      call.answer();
    }
  }

  /** Listens to one call; `owner` names it, so that late news of an earlier call is ignored. */
  private callListener(owner: () => SipCall | null): SipCallListener {
    const active = () => {
      const call = owner();
      return call !== null && call === this.session;
    };
    return {
      progress: () => active() && this.callTransition('progress', true),
      accepted: () => {
        if (active() && this.info) {
          this.releasePreviousLeg();
          this.info.establishedAt = this.now();
          this.callTransition('answered', true);
        }
      },
      ended: (cause) => {
        if (active()) {
          this.releasePreviousLeg();
          this.finishCall(cause);
        }
      },
      dtmfReceived: (tone) => active() && this.emit('dtmf', { tone }),
      transferred: (next) => active() && this.onTransferred(next),
      remoteStream: (stream) => active() && this.emit('remote-stream', { stream }),
      mediaFailed: (error) => active() && this.emit('media-problem', { problem: microphoneProblem(error) as Problem }),
    };
  }

  /** The far end sent REFER: the current call ends for the user and the new one (already placed) takes over. */
  private onTransferred(next: SipCall): void {
    const previous = this.session;
    this.finishCall(TRANSFERRED);
    this.previousLeg = previous;
    this.session = next;
    this.info = { direction: 'outgoing', number: next.remoteNumber, name: next.remoteName, autoAnswer: false, muted: false };
    next.setListener(this.callListener(() => next));
    this.callTransition('dial');
  }

  /** The transferor normally hangs up its leg itself; if it has not by the time the new call settles, we do. */
  private releasePreviousLeg(): void {
    const previous = this.previousLeg;
    this.previousLeg = null;
    previous?.hangup();
  }

  private finishCall(sipCause: string): void {
    const established = this.info?.establishedAt !== undefined;
    const callId = this.info?.callId;
    this.session = null;
    this.reInviting = false;
    if (this.info) {
      this.info.muted = false;
    }
    if (this.machine.tryCallEvent('ended')) {
      this.emit('call-state', { callState: this.callState });
      const detail: CallEndedDetail = { cause: endCause(sipCause), sipCause, established, ...(callId ? { callId } : {}) };
      this.emit('call-ended', detail);
    }
    this.changed();
  }

  private transition(event: RegistrationEvent, lenient = false): void {
    const changed = lenient ? this.machine.tryRegistrationEvent(event) : this.machine.registrationEvent(event);
    if (changed) {
      this.emit('registration', { state: this.state, failure: this.state === 'failed' ? this.failureValue : null });
      this.changed();
    }
  }

  private callTransition(event: CallEvent, lenient = false): void {
    const changed = lenient ? this.machine.tryCallEvent(event) : this.machine.callEvent(event);
    if (changed) {
      this.emit('call-state', { callState: this.callState });
      this.changed();
    }
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
