import { html, css, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ApiError } from '../api/client';
import type { AgentPresence, CallRecord, IncomingOffer, Queue, WebphoneSettings } from '../api/types';
import { checkMicrophone } from '../phone/microphone';
import { jssipAgentFactory } from '../phone/jssip-adapter';
import { Phone, PhoneActionError, type CallEndedDetail, type CallInfo, type IncomingDetail } from '../phone/phone';
import { settingsProblem } from '../phone/reasons';
import type { Problem, RegistrationFailure, SettingsProblem } from '../phone/reasons';
import { installAutoplayUnlock, Ringer } from '../phone/ringer';
import type { SipAccount, SipAgentFactory } from '../phone/sip';
import { isCallActive, type CallState, type RegistrationState } from '../phone/state';
import { subscribeLiveCalls } from '../realtime/live-calls';
import type { MessageKey } from '../i18n';
import { VoxdeskElement } from './base';
import { clock } from './format';
import { baseStyles } from './styles';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** What an extension looks like (2 to 6 digits), as the server's transfer reads a destination. */
const INTERNAL_EXTENSION = /^[0-9]{2,6}$/;
const DISPOSITIONS = ['resolved', 'callback', 'sale', 'no-interest', 'wrong-number', 'voicemail', 'other'] as const;

function keyId(key: string): string {
  return key === '*' ? 'star' : key === '#' ? 'hash' : key;
}

const tokenIds = new WeakMap<object, number>();
let lastTokenId = 0;

/** A stable number per token function, so that a new sign-in (a new function) restarts the phone. */
function tokenIdentity(provider: object | undefined): number {
  if (!provider) {
    return 0;
  }
  if (!tokenIds.has(provider)) {
    tokenIds.set(provider, ++lastTokenId);
  }
  return tokenIds.get(provider)!;
}

function isTyping(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0];
  return target instanceof HTMLElement && (target.matches('input, textarea, select') || target.isContentEditable);
}

interface AfterCall {
  callId: string;
  peer: string;
  note: string;
  disposition: string;
  saving: boolean;
  saved: boolean;
  error: string;
}

/** Whether an item of `GET /api/queues` can be offered (anything else is left out). */
function isQueue(value: unknown): value is Queue {
  const queue = value as Queue | null;
  return typeof queue === 'object' && queue !== null && typeof queue.id === 'string' && typeof queue.name === 'string';
}

/** Whether an API answer or a feed frame is a presence (anything else is ignored). */
function isPresence(value: unknown): value is AgentPresence {
  return typeof value === 'object' && value !== null && typeof (value as AgentPresence).chosen === 'string';
}

/** `<voxdesk-phone>`: the softphone (registration, dial pad, incoming popup, call controls, after-call note). */
export class VoxdeskPhoneElement extends VoxdeskElement {
  static override styles = [
    baseStyles,
    css`
      .phone {
        display: grid;
        gap: 12px;
        max-width: 420px;
      }
      .status {
        display: flex;
        align-items: center;
        gap: 8px;
        font-weight: 600;
      }
      .dot {
        width: 10px;
        height: 10px;
        border-radius: 50%;
        background: var(--_muted);
        flex: none;
      }
      :host([data-state='registered']) .dot {
        background: var(--_ok);
      }
      :host([data-state='failed']) .dot,
      :host([data-state='disconnected']) .dot {
        background: var(--_danger);
      }
      .extension {
        color: var(--_muted);
        font-weight: 400;
      }
      .diagnostics {
        border-left: 4px solid var(--_danger);
        padding: 6px 10px;
        margin: 0;
        background: #fdf1f0;
      }
      .keypad {
        display: grid;
        grid-template-columns: repeat(3, minmax(0, 1fr));
        gap: 6px;
        margin-top: 8px;
      }
      .keypad button {
        min-height: 44px;
        font-size: 1.15em;
      }
      .dial-row {
        display: flex;
        gap: 6px;
      }
      .dial-row input {
        flex: 1;
        min-width: 0;
      }
      .presence {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: center;
        margin: 4px 0;
      }
      .incoming {
        border: 2px solid var(--_accent);
        background: #eef4fb;
      }
      .who {
        font-size: 1.15em;
        font-weight: 600;
        margin: 0;
        overflow-wrap: anywhere;
      }
      .number,
      .ticket,
      .sub {
        margin: 2px 0;
        color: var(--_muted);
        overflow-wrap: anywhere;
      }
      .timer {
        font-variant-numeric: tabular-nums;
        font-size: 1.3em;
      }
      .controls {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: 6px;
        margin-top: 8px;
      }
      .transfer {
        display: flex;
        gap: 6px;
        margin-top: 8px;
      }
      .transfer input,
      .transfer select {
        flex: 1;
        min-width: 0;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        margin-top: 10px;
      }
      .actions button {
        flex: 1 1 120px;
      }
      .notice {
        margin: 0;
        color: var(--_muted);
      }
    `,
  ];

  /** Registration settings given by the host (same shape as `GET /api/me/webphone`); skips that request. */
  @property({ attribute: false }) sipConfig: SipAccount | undefined = undefined;

  /** Turns a ticket id into the words shown in the incoming popup; default "Ticket <id>". */
  @property({ attribute: false }) ticketLabel: ((ticketId: string) => string) | undefined = undefined;

  /** Makes the SIP user agent (JsSIP by default); for hosts with their own SIP stack, and for tests. */
  get sipAgentFactory(): SipAgentFactory {
    return this.phone.agentFactory;
  }
  set sipAgentFactory(factory: SipAgentFactory) {
    this.phone.agentFactory = factory;
  }

  @state() private configProblem: SettingsProblem | null = null;
  @state() private settingsError = '';
  @state() private microphone: Extract<Problem, `microphone-${string}`> | null = null;
  @state() private dialValue = '';
  @state() private transferValue = '';
  @state() private dtmfOpen = false;
  @state() private notice = '';
  @state() private incomingTicket: string | null = null;
  @state() private afterCall: AfterCall | null = null;
  @state() private extension = '';
  /** A keypad call is being requested from Voxdesk (`POST /api/calls`). */
  @state() private requesting = false;
  /** The tenant's queues to transfer to, kept for the phone's sign-in; `null` until loaded, and after a failed load. */
  @state() private queues: Queue[] | null = null;
  @state() private transferQueueId = '';
  /** A transfer to a queue is being requested from Voxdesk (`POST /api/calls/{id}/transfer`). */
  @state() private transferringToQueue = false;
  /** The generation whose `GET /api/queues` is under way, so that one call does not load them twice. */
  private queuesRequest: number | null = null;
  /** The call Voxdesk moved to a queue: the server then hangs up this leg, and that end is the transfer. */
  private queueTransfer: { callId: string; queue: string } | null = null;

  private readonly phone = new Phone({ agentFactory: jssipAgentFactory });
  private readonly ringer = new Ringer();
  private timer: ReturnType<typeof setInterval> | null = null;
  private startKey = '';
  private startedWith: SipAccount | undefined;
  private generation = 0;
  private incomingSerial = 0;
  private stopLive: (() => void) | undefined;
  private permission: PermissionStatus | undefined;
  private started = false;

  constructor() {
    super();
    this.phone.addEventListener('change', () => {
      this.reflect();
      this.requestUpdate();
    });
    this.phone.addEventListener('registration', (event) => this.onRegistration((event as CustomEvent).detail));
    this.phone.addEventListener('incoming', (event) => this.onIncoming((event as CustomEvent<IncomingDetail>).detail));
    this.phone.addEventListener('call-state', () => this.onCallState());
    this.phone.addEventListener('dtmf', (event) => {
      this.emit('voxdesk-dtmf-received', { tone: (event as CustomEvent<{ tone: string }>).detail.tone });
    });
    this.phone.addEventListener('call-ended', (event) => this.onCallEnded((event as CustomEvent<CallEndedDetail>).detail));
    this.phone.addEventListener('remote-stream', (event) => {
      const audio = this.renderRoot.querySelector<HTMLAudioElement>('audio.remote');
      if (audio) {
        audio.srcObject = (event as CustomEvent<{ stream: MediaStream }>).detail.stream;
        void audio.play().catch(() => undefined);
      }
    });
    this.phone.addEventListener('media-problem', (event) => {
      this.microphone = (event as CustomEvent<{ problem: Extract<Problem, `microphone-${string}`> }>).detail.problem;
    });
  }

  /** Registration state: `idle | registering | registered | failed | disconnected`. */
  get state(): RegistrationState {
    return this.configProblem ? 'failed' : this.phone.state;
  }

  /** Call state: `none | incoming | outgoing | ringing | established | held | ended`. */
  get callState(): CallState {
    return this.phone.callState;
  }

  /** The current call's `RTCPeerConnection`, or `null`. */
  get peerConnection(): RTCPeerConnection | null {
    return this.phone.peerConnection;
  }

  /** Calls a number, extension or SIP URI directly over SIP. */
  call(target: string): void {
    this.phone.dial(target);
  }

  answer(): void {
    this.phone.answer();
  }

  hangup(): void {
    this.phone.hangup();
  }

  /** Resolves once the hold re-INVITE completed (`callState` is then `held`). */
  hold(): Promise<void> {
    return this.phone.hold();
  }

  /** Resolves once the resume re-INVITE completed (`callState` is then `established`). */
  resume(): Promise<void> {
    return this.phone.resume();
  }

  /** Sends DTMF tones as SIP INFO. */
  sendDtmf(tones: string): void {
    this.phone.sendDtmf(tones);
  }

  /** Blind transfer (SIP REFER); resolves once the far end accepted it and this leg hung up. */
  transfer(target: string): Promise<void> {
    return this.phone.transfer(target);
  }

  mute(on: boolean): void {
    this.phone.mute(on);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    installAutoplayUnlock();
    document.addEventListener('voxdesk-call-requested', this.onCallRequested);
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    this.started = true;
    this.reflect();
    void this.checkMicrophone();
    this.restart(true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.started = false;
    document.removeEventListener('voxdesk-call-requested', this.onCallRequested);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.permission?.removeEventListener('change', this.onPermissionChange);
    this.permission = undefined;
    this.stopLive?.();
    this.stopLive = undefined;
    this.ringer.stop();
    this.stopTimer();
    this.generation++;
    this.startKey = '';
    this.phone.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('sipConfig') && this.started && this.sipConfig !== this.startedWith) {
      this.restart(true);
    }
  }

  protected override connectionSettingsChanged(): void {
    if (this.started) {
      this.restart();
    }
  }

  /** (Re)registers when what registration depends on changed: the SIP settings, the API base or the token. */
  private restart(force = false): void {
    const tokenProvider = this.effectiveTokenProvider;
    const key = [this.resolvedApiBase, this.sipConfig ? 'config' : 'api', tokenIdentity(tokenProvider)].join('|');
    if (!force && key === this.startKey) {
      return;
    }
    this.startKey = key;
    this.startedWith = this.sipConfig;
    const generation = ++this.generation;
    // Another sign-in or API base may be another tenant, with other queues.
    this.queues = null;
    this.configProblem = null;
    this.settingsError = '';
    this.subscribeLive();
    if (this.sipConfig) {
      this.register(this.sipConfig);
      return;
    }
    this.phone.stop();
    if (!tokenProvider) {
      return;
    }
    this.api
      .get<WebphoneSettings>('/api/me/webphone')
      .then((settings) => {
        if (generation === this.generation) {
          this.register(settings);
        }
      })
      .catch((error: unknown) => {
        if (generation !== this.generation) {
          return;
        }
        if (error instanceof ApiError) {
          this.configProblem = settingsProblem(error.status, error.type);
          // Kept for the words of a problem the phone has no words of its own for.
          this.settingsError = error.detail || error.title;
        } else {
          this.settingsError = this.errorText(error);
        }
        this.reflect();
        this.emit('voxdesk-registration-failed', {
          reason: this.configProblem ?? 'registration-failed',
          message: this.configProblem ? this.configText(this.configProblem) : this.settingsError,
        });
      });
  }

  private register(account: SipAccount): void {
    this.extension = account.extension ?? account.authorizationUser ?? '';
    this.phone.start(account);
  }

  private subscribeLive(): void {
    this.stopLive?.();
    this.stopLive = undefined;
    const tokenProvider = this.effectiveTokenProvider;
    if (!tokenProvider) {
      return;
    }
    this.stopLive = subscribeLiveCalls(this.resolvedApiBase, tokenProvider, {
      record: (record) => this.phone.pending.fromFeed(record),
      offer: (offer) => this.rememberOffer(offer),
      presence: (presence) => {
        if (isPresence(presence)) {
          this.presence = presence;
        }
      },
      connected: () => this.loadPresence(),
    });
    this.loadPresence();
  }

  private readonly onCallRequested = (event: Event): void => {
    const record = (event as CustomEvent<CallRecord>).detail;
    if (record && typeof record.id === 'string') {
      this.phone.pending.requested(record);
    }
  };

  private readonly onOnline = (): void => this.phone.networkBack();
  private readonly onOffline = (): void => this.phone.networkLost();
  private readonly onPermissionChange = (): void => void this.checkMicrophone();

  private async checkMicrophone(): Promise<void> {
    const result = await checkMicrophone();
    this.microphone = result.problem;
    if (this.started && result.permission && result.permission !== this.permission) {
      this.permission?.removeEventListener('change', this.onPermissionChange);
      this.permission = result.permission;
      this.permission.addEventListener('change', this.onPermissionChange);
    }
  }

  private reflect(): void {
    this.setAttribute('data-state', this.state);
    this.setAttribute('data-call-state', this.callState);
  }

  private onRegistration(detail: { state: RegistrationState; failure: RegistrationFailure | null }): void {
    this.reflect();
    if (detail.state === 'registered') {
      this.emit('voxdesk-registered', { extension: this.extension });
    } else if (detail.state === 'failed' && detail.failure) {
      this.emit('voxdesk-registration-failed', {
        reason: detail.failure.problem,
        message: this.t(detail.failure.messageKey),
        cause: detail.failure.cause,
      });
    }
  }

  /** The agent's presence, once read; only available agents are rung for inbound callers. */
  @state() private presence: AgentPresence | null = null;

  @state() private awayReasons: string[] = [];

  /** Best effort: without the API (SIP settings given directly) there is no presence to show. */
  private loadPresence(): void {
    if (!this.effectiveTokenProvider) {
      return;
    }
    this.api
      .get<AgentPresence>('/api/me/presence')
      .then((presence) => {
        if (isPresence(presence)) {
          this.presence = presence;
        }
      })
      .catch(() => undefined);
    this.api
      .get<unknown>('/api/presence/away-reasons')
      .then((reasons) => {
        this.awayReasons = Array.isArray(reasons) ? reasons.filter((reason): reason is string => typeof reason === 'string') : [];
      })
      .catch(() => undefined);
  }

  /** `available`, `offline`, or `away` / `away:<reason>` from the presence control. */
  private choosePresence(value: string): void {
    const [state, reason] = value.startsWith('away:') ? ['away', value.slice(5)] : [value, undefined];
    this.api
      .put<AgentPresence>('/api/me/presence', reason ? { state, reason } : { state })
      .then((presence) => {
        if (isPresence(presence)) {
          this.presence = presence;
        }
      })
      .catch((error: unknown) => {
        this.notice = error instanceof Error ? error.message : String(error);
      });
  }

  private renderPresence() {
    const presence = this.presence;
    if (!presence) {
      return nothing;
    }
    const chosen = presence.chosen === 'away' && presence.reason ? `away:${presence.reason}` : presence.chosen;
    const derived = presence.state === 'on-call' || presence.state === 'wrap-up' ? presence.state : null;
    return html`
      <label class="presence">
        <span>${this.t('presence.label')}</span>
        <select data-testid="presence" .value=${chosen} @change=${(event: Event) => this.choosePresence((event.target as HTMLSelectElement).value)}>
          <option value="available" ?selected=${chosen === 'available'}>${this.t('presence.available')}</option>
          <option value="away" ?selected=${chosen === 'away'}>${this.t('presence.away')}</option>
          ${this.awayReasons.map(
            (reason) => html`<option value=${`away:${reason}`} ?selected=${chosen === `away:${reason}`}>${this.t('presence.awayWith', { reason })}</option>`,
          )}
          <option value="offline" ?selected=${chosen === 'offline'}>${this.t('presence.offline')}</option>
        </select>
        ${derived ? html`<span class="sub" data-testid="presence-derived">${this.t(`presence.${derived === 'on-call' ? 'onCall' : 'wrapUp'}` as MessageKey)}</span>` : nothing}
      </label>
    `;
  }

  /** The inbound callers announced to this agent, by call id; only the last few are kept. */
  private readonly offers = new Map<string, IncomingOffer>();

  private rememberOffer(offer: IncomingOffer): void {
    if (!offer || typeof offer.call !== 'string') {
      return;
    }
    this.offers.delete(offer.call);
    this.offers.set(offer.call, offer);
    while (this.offers.size > 20) {
      this.offers.delete(this.offers.keys().next().value!);
    }
    this.requestUpdate();
  }

  /**
   * Who the current call is with: for an inbound caller the server announced, the contact's name and the number
   * it found them by (the network's display name is often a carrier's label); else what SIP says.
   */
  private peer(info: Readonly<CallInfo> | null): { name: string; number: string } {
    const offer = info?.callId ? this.offers.get(info.callId) : undefined;
    return {
      name: offer?.contactName || offer?.callerName || info?.name || '',
      number: offer?.number || info?.number || '',
    };
  }

  private onIncoming(detail: IncomingDetail): void {
    this.reflect();
    const serial = ++this.incomingSerial;
    this.incomingTicket = null;
    if (detail.callId) {
      this.incomingTicket = this.phone.pending.get(detail.callId)?.record.ticket ?? null;
      this.lookUpTicket(detail.callId, serial);
    }
    if (!detail.autoAnswer) {
      this.ringer.start();
    }
    this.emit('voxdesk-incoming', detail);
  }

  /** Best effort: the popup shows the ticket when the call record says which; answering never waits for it. */
  private lookUpTicket(callId: string, serial: number): void {
    if (!this.effectiveTokenProvider) {
      return;
    }
    this.api
      .get<CallRecord>(`/api/calls/${encodeURIComponent(callId)}`)
      .then((record) => {
        if (serial === this.incomingSerial && record?.ticket) {
          this.incomingTicket = record.ticket;
        }
      })
      .catch(() => undefined);
  }

  private onCallState(): void {
    this.reflect();
    const callState = this.callState;
    if (callState !== 'incoming') {
      this.ringer.stop();
    }
    if (callState === 'established' || callState === 'held') {
      this.startTimer();
      this.loadQueues();
      if (this.microphone !== 'microphone-missing') {
        this.microphone = null;
      }
    } else {
      this.stopTimer();
    }
    if (callState === 'none' || callState === 'incoming' || callState === 'outgoing') {
      this.dtmfOpen = false;
      this.transferValue = '';
      this.transferQueueId = '';
    }
    if (callState === 'incoming' || callState === 'outgoing') {
      this.notice = '';
    }
    this.emit('voxdesk-call-state', { callState });
  }

  private onCallEnded(detail: CallEndedDetail): void {
    this.ringer.stop();
    this.stopTimer();
    const toQueue = this.queueTransfer?.callId === detail.callId ? this.queueTransfer : null;
    this.queueTransfer = null;
    // After a transfer to a queue Voxdesk hangs up this leg: "the call ended" would hide where the customer went.
    this.notice = toQueue
      ? this.t('call.transferredToQueue', { queue: toQueue.queue })
      : this.t(`cause.${detail.cause}` as MessageKey);
    const info = this.phone.call;
    if (detail.established && detail.callId) {
      this.afterCall = {
        callId: detail.callId,
        peer: this.peer(info).name || this.peer(info).number,
        note: '',
        disposition: '',
        saving: false,
        saved: false,
        error: '',
      };
    }
    this.emit('voxdesk-call-ended', detail);
  }

  private startTimer(): void {
    if (this.timer === null) {
      this.timer = setInterval(() => this.requestUpdate(), 1000);
    }
  }

  private stopTimer(): void {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** Runs a user action; a refusal becomes a notice in plain words. */
  private attempt(action: () => unknown): void {
    const refused = (error: unknown) => {
      this.notice = error instanceof PhoneActionError ? this.t(`action.${error.code}`) : this.t('action.failed');
    };
    try {
      const result = action();
      if (result instanceof Promise) {
        result.catch(refused);
      }
    } catch (error) {
      refused(error);
    }
  }

  private dial(event?: Event): void {
    event?.preventDefault();
    if (this.phone.state !== 'registered') {
      this.notice = this.t('action.not-registered');
      return;
    }
    const target = this.dialValue.trim();
    if (!target || this.requesting) {
      return;
    }
    // Hosts that give their own SIP settings may have no Voxdesk behind them: only a bare SIP call is possible.
    // A colleague's extension is an internal call the PBX connects itself, not a customer's number to record.
    if (this.sipConfig || INTERNAL_EXTENSION.test(target)) {
      this.attempt(() => this.phone.dial(target));
      return;
    }
    void this.requestCall(target);
  }

  /**
   * Places the call through Voxdesk (click-to-call), so that it gets a call record, its contact and the after-call
   * form: the server rings this extension with the call id, which the phone answers by itself.
   */
  private async requestCall(number: string): Promise<void> {
    const generation = this.generation;
    this.requesting = true;
    this.notice = '';
    try {
      const record = await this.api.post<CallRecord>('/api/calls', { number });
      if (generation !== this.generation) {
        return;
      }
      // The same announcement as <voxdesk-call-button>'s, which this phone (and any other on the page) follows.
      document.dispatchEvent(new CustomEvent('voxdesk-call-requested', { detail: record }));
      // The agent leg may have rung already; its incoming call state clears the notice then.
      if (this.callState === 'none' || this.callState === 'ended') {
        this.notice = this.t('dial.started', { number });
      }
    } catch (error) {
      if (generation === this.generation) {
        this.notice = this.errorText(error);
      }
    } finally {
      this.requesting = false;
    }
  }

  private press(key: string): void {
    if (this.callState === 'established' || this.callState === 'held') {
      this.attempt(() => {
        this.phone.sendDtmf(key);
        this.notice = this.t('call.tonesSent', { tones: key });
      });
    } else if (!isCallActive(this.callState)) {
      this.dialValue += key;
    }
  }

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (isTyping(event) || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (/^[0-9*#]$/.test(event.key)) {
      event.preventDefault();
      this.press(event.key);
    } else if (event.key === 'Backspace' && !isCallActive(this.callState) && this.dialValue) {
      event.preventDefault();
      this.dialValue = this.dialValue.slice(0, -1);
    }
  };

  private async saveNote(event: Event): Promise<void> {
    event.preventDefault();
    const after = this.afterCall;
    if (!after || after.saving) {
      return;
    }
    this.afterCall = { ...after, saving: true, error: '', saved: false };
    try {
      await this.api.put(`/api/calls/${encodeURIComponent(after.callId)}/note`, {
        note: after.note.trim() || null,
        disposition: after.disposition || null,
      });
      if (this.afterCall?.callId === after.callId) {
        this.afterCall = { ...this.afterCall, saving: false, saved: true };
      }
    } catch (error) {
      if (this.afterCall?.callId === after.callId) {
        this.afterCall = { ...this.afterCall, saving: false, error: this.errorText(error) };
      }
    }
  }

  private closeAfterCall(): void {
    this.afterCall = null;
    this.phone.clearEndedCall();
  }

  /** The words for a settings problem; an unexpected server error also quotes what the server said. */
  private configText(problem: SettingsProblem): string {
    return problem === 'voxdesk-error'
      ? this.t('problem.voxdesk-error', { detail: this.settingsError })
      : this.t(`problem.${problem}`);
  }

  private diagnostics(): { problem: Problem; text: string } | null {
    if (this.configProblem) {
      return { problem: this.configProblem, text: this.configText(this.configProblem) };
    }
    if (this.settingsError) {
      return { problem: 'registration-failed', text: this.t('problem.settingsFailed', { detail: this.settingsError }) };
    }
    const failure = this.phone.failure;
    if (this.phone.state === 'failed' && failure) {
      return { problem: failure.problem, text: this.t(failure.messageKey) };
    }
    if (this.microphone) {
      return { problem: this.microphone, text: this.t(`problem.${this.microphone}`) };
    }
    return null;
  }

  protected override render() {
    const diagnostics = this.diagnostics();
    const callState = this.callState;
    return html`
      <section class="phone" aria-label=${this.t('phone.label')} @keydown=${this.onKeydown}>
        <div class="status">
          <span class="dot" aria-hidden="true"></span>
          <span data-testid="phone-status" role="status" aria-live="polite">${this.t(`status.${this.state}`)}</span>
          ${this.extension ? html`<span class="extension">· ${this.t('status.extension', { extension: this.extension })}</span>` : nothing}
        </div>
        ${this.renderPresence()}
        ${diagnostics
          ? html`<p class="diagnostics" data-testid="diagnostics" data-problem=${diagnostics.problem} role="alert">${diagnostics.text}</p>`
          : nothing}
        <div aria-live="assertive">${callState === 'incoming' ? this.renderIncoming() : nothing}</div>
        ${isCallActive(callState) && callState !== 'incoming' ? this.renderInCall() : nothing}
        ${this.notice ? html`<p class="notice" data-testid="phone-notice" role="status">${this.notice}</p>` : nothing}
        ${this.afterCall ? this.renderAfterCall(this.afterCall) : nothing}
        ${isCallActive(callState) ? nothing : this.renderDialer()}
        <audio class="remote" autoplay hidden></audio>
      </section>
    `;
  }

  private renderIncoming() {
    const info = this.phone.call;
    // An inbound caller the server announced for this very call: who they are, their ticket, their queue.
    const offer = info?.callId ? this.offers.get(info.callId) : undefined;
    const number = offer?.number || info?.number || '';
    const name = offer?.contactName || offer?.callerName || info?.name || number || this.t('incoming.unknown');
    const ticket = offer?.ticket ?? this.incomingTicket;
    const ticketText = offer?.ticketSubject
      ? offer.ticketSubject
      : ticket
        ? this.ticketLabel
          ? this.ticketLabel(ticket)
          : this.t('incoming.ticket', { ticket })
        : '';
    const waited = offer ? Math.max(0, Math.round((Date.now() - Date.parse(offer.waitingSince)) / 1000)) : 0;
    return html`
      <div class="card incoming" data-testid="incoming-popup" role="group" aria-label=${this.t('incoming.title')}>
        <h2>${this.t('incoming.title')}</h2>
        <p class="who" data-testid="incoming-name">${name}</p>
        <p class="number" data-testid="incoming-number">${number}</p>
        ${ticket ? html`<p class="ticket" data-testid="incoming-ticket">${ticketText}</p>` : nothing}
        ${offer?.queueName
          ? html`<p class="sub" data-testid="incoming-queue">${this.t('incoming.queue', { queue: offer.queueName, seconds: waited })}</p>`
          : nothing}
        ${info?.autoAnswer ? html`<p class="sub">${this.t('incoming.auto')}</p>` : nothing}
        <div class="actions">
          <button class="ok" type="button" data-testid="incoming-answer" @click=${() => this.attempt(() => this.phone.answer())}>
            ${this.t('incoming.answer')}
          </button>
          <button class="danger" type="button" data-testid="incoming-reject" @click=${() => this.attempt(() => this.phone.reject())}>
            ${this.t('incoming.reject')}
          </button>
        </div>
      </div>
    `;
  }

  private renderInCall() {
    const info = this.phone.call;
    const peer = this.peer(info);
    const callState = this.callState;
    const established = callState === 'established' || callState === 'held';
    const seconds = info?.establishedAt !== undefined ? (Date.now() - info.establishedAt) / 1000 : 0;
    const muted = !!info?.muted;
    const held = callState === 'held';
    const stateKey = `call.${callState}` as MessageKey;
    return html`
      <div class="card" data-testid="in-call" role="group" aria-label=${this.t(stateKey)}>
        <p class="who" data-testid="in-call-peer">${peer.name || peer.number}</p>
        ${peer.name && peer.number ? html`<p class="number">${peer.number}</p>` : nothing}
        <div class="row">
          <span class="sub">${this.t(stateKey)}</span>
          <span class="timer" data-testid="call-timer" role="timer" aria-label=${this.t('call.timer')}>${clock(seconds)}</span>
        </div>
        <div class="controls">
          <button type="button" data-testid="call-mute" aria-pressed=${muted ? 'true' : 'false'}
            @click=${() => this.attempt(() => this.phone.mute(!muted))}>${this.t('call.mute')}</button>
          <button type="button" data-testid="call-hold" aria-pressed=${held ? 'true' : 'false'} ?disabled=${!established || this.phone.busy}
            @click=${() => this.attempt(() => (held ? this.phone.resume() : this.phone.hold()))}>${this.t('call.hold')}</button>
          <button type="button" data-testid="call-dtmf-toggle" aria-pressed=${this.dtmfOpen ? 'true' : 'false'} ?disabled=${!established}
            aria-controls="dtmf-pad" @click=${() => (this.dtmfOpen = !this.dtmfOpen)}>${this.t('call.keypad')}</button>
          <button class="danger" type="button" data-testid="call-hangup" @click=${() => this.attempt(() => this.phone.hangup())}>
            ${this.t('call.hangup')}
          </button>
        </div>
        ${this.dtmfOpen && established
          ? html`<div id="dtmf-pad" class="keypad" role="group" aria-label=${this.t('call.keypadLabel')}>
              ${KEYS.map(
                (key) => html`<button type="button" data-testid=${`dtmf-${keyId(key)}`} @click=${() => this.press(key)}>${key}</button>`,
              )}
            </div>`
          : nothing}
        <form class="transfer" @submit=${(event: Event) => this.submitTransfer(event)}>
          <label class="visually-hidden" for="transfer-input">${this.t('call.transferTo')}</label>
          <input id="transfer-input" type="tel" inputmode="tel" autocomplete="off" data-testid="call-transfer-input"
            placeholder=${this.t('call.transferTo')} .value=${this.transferValue} ?disabled=${!established}
            @input=${(event: Event) => (this.transferValue = (event.target as HTMLInputElement).value)} />
          <button type="submit" data-testid="call-transfer" ?disabled=${!established || !this.transferValue.trim()}>
            ${this.t('call.transfer')}
          </button>
        </form>
        ${this.renderQueueTransfer(established)}
      </div>
    `;
  }

  private submitTransfer(event: Event): void {
    event.preventDefault();
    const target = this.transferValue.trim();
    if (!target) {
      return;
    }
    this.notice = '';
    this.attempt(async () => {
      await this.phone.transfer(target);
      this.notice = this.t('call.transferred', { target });
    });
  }

  /**
   * The Voxdesk call id a transfer to a queue needs: only Voxdesk knows the queues, so not with host-given SIP
   * settings, and only calls Voxdesk placed or offered (with `X-Voxdesk-Call-Id`) have one.
   */
  private get queueTransferCallId(): string | undefined {
    return this.sipConfig || !this.effectiveTokenProvider ? undefined : this.phone.call?.callId;
  }

  /** Best effort: without the queues the transfer to a queue is just not offered; a failed load is retried next call. */
  private loadQueues(): void {
    if (!this.queueTransferCallId || this.queues !== null || this.queuesRequest === this.generation) {
      return;
    }
    const generation = this.generation;
    this.queuesRequest = generation;
    this.api
      .get<unknown>('/api/queues')
      .then((queues) => {
        if (generation === this.generation) {
          this.queues = Array.isArray(queues) ? queues.filter(isQueue) : [];
        }
      })
      .catch(() => undefined)
      .finally(() => {
        if (this.queuesRequest === generation) {
          this.queuesRequest = null;
        }
      });
  }

  /**
   * Asks Voxdesk to move the customer into the chosen queue; unlike the SIP transfer, the server does it and then
   * hangs up this leg, so a refusal leaves the call exactly as it was.
   */
  private async submitQueueTransfer(event: Event): Promise<void> {
    event.preventDefault();
    const callId = this.queueTransferCallId;
    const queue = this.queues?.find((candidate) => candidate.id === this.transferQueueId);
    if (!callId || !queue || this.transferringToQueue) {
      return;
    }
    const generation = this.generation;
    // The answer may come after the call ended (the server hangs up this leg); it still concerns that call.
    const current = () => generation === this.generation && this.phone.call?.callId === callId;
    this.transferringToQueue = true;
    this.notice = '';
    try {
      await this.api.post<CallRecord>(`/api/calls/${encodeURIComponent(callId)}/transfer`, { queueId: queue.id });
      if (current()) {
        this.queueTransfer = { callId, queue: queue.name };
        this.notice = this.t('call.transferredToQueue', { queue: queue.name });
      }
    } catch (error) {
      if (current()) {
        this.notice = this.errorText(error);
      }
    } finally {
      this.transferringToQueue = false;
    }
  }

  private renderQueueTransfer(established: boolean) {
    const queues = this.queues;
    if (!this.queueTransferCallId || !queues?.length) {
      return nothing;
    }
    const busy = this.transferringToQueue;
    return html`
      <form class="transfer" @submit=${(event: Event) => void this.submitQueueTransfer(event)}>
        <label class="visually-hidden" for="transfer-queue">${this.t('call.transferQueueLabel')}</label>
        <select id="transfer-queue" data-testid="call-transfer-queue" .value=${this.transferQueueId} ?disabled=${!established || busy}
          @change=${(event: Event) => (this.transferQueueId = (event.target as HTMLSelectElement).value)}>
          <option value="">${this.t('call.transferQueueNone')}</option>
          ${queues.map(
            (queue) => html`<option value=${queue.id} ?selected=${queue.id === this.transferQueueId}>${queue.name}</option>`,
          )}
        </select>
        <button type="submit" data-testid="call-transfer-queue-submit" ?disabled=${!established || busy || !this.transferQueueId}
          aria-busy=${busy ? 'true' : 'false'}>${busy ? this.t('call.transferringQueue') : this.t('call.transferQueue')}</button>
      </form>
    `;
  }

  private renderAfterCall(after: AfterCall) {
    const update = (patch: Partial<AfterCall>) => {
      if (this.afterCall) {
        this.afterCall = { ...this.afterCall, ...patch, saved: false };
      }
    };
    return html`
      <form class="card" data-testid="after-call" @submit=${(event: Event) => void this.saveNote(event)}>
        <h2>${this.t('after.title', { peer: after.peer })}</h2>
        <label for="note">${this.t('after.note')}</label>
        <textarea id="note" rows="3" maxlength="2000" data-testid="note-input" .value=${after.note}
          @input=${(event: Event) => update({ note: (event.target as HTMLTextAreaElement).value })}></textarea>
        <label for="disposition">${this.t('after.disposition')}</label>
        <select id="disposition" data-testid="disposition-select" .value=${after.disposition}
          @change=${(event: Event) => update({ disposition: (event.target as HTMLSelectElement).value })}>
          <option value="">${this.t('disposition.none')}</option>
          ${DISPOSITIONS.map(
            (value) => html`<option value=${value} ?selected=${after.disposition === value}>${this.t(`disposition.${value}`)}</option>`,
          )}
        </select>
        ${after.error ? html`<p class="error" role="alert">${after.error}</p>` : nothing}
        ${after.saved ? html`<p class="ok-text" data-testid="note-saved" role="status">${this.t('after.saved')}</p>` : nothing}
        <div class="actions">
          <button class="primary" type="submit" data-testid="note-save" ?disabled=${after.saving}>
            ${after.saving ? this.t('common.saving') : this.t('common.save')}
          </button>
          <button type="button" data-testid="note-close" @click=${() => this.closeAfterCall()}>${this.t('common.close')}</button>
        </div>
      </form>
    `;
  }

  private renderDialer() {
    const ready = this.phone.state === 'registered';
    return html`
      <form class="card" @submit=${(event: Event) => this.dial(event)}>
        <label for="dial">${this.t('dial.label')}</label>
        <div class="dial-row">
          <input id="dial" type="tel" inputmode="tel" autocomplete="off" data-testid="dial-input" .value=${this.dialValue}
            @input=${(event: Event) => (this.dialValue = (event.target as HTMLInputElement).value)} />
          <button type="button" aria-label=${this.t('dial.backspace')} ?disabled=${!this.dialValue}
            @click=${() => (this.dialValue = this.dialValue.slice(0, -1))}>⌫</button>
        </div>
        <div class="keypad" role="group" aria-label=${this.t('dial.keypad')}>
          ${KEYS.map(
            (key) => html`<button type="button" data-testid=${`dialpad-${keyId(key)}`} @click=${() => this.press(key)}>${key}</button>`,
          )}
        </div>
        <div class="actions">
          <button class="ok" type="submit" data-testid="dial-call" ?disabled=${!ready || !this.dialValue.trim() || this.requesting}
            aria-busy=${this.requesting ? 'true' : 'false'}>${this.requesting ? this.t('dial.calling') : this.t('dial.call')}</button>
        </div>
      </form>
    `;
  }
}
