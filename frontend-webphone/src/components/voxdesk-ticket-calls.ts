import { html, css, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CallRecord, CallTransfer } from '../api/types';
import { subscribeLiveCalls } from '../realtime/live-calls';
import type { MessageKey } from '../i18n';
import { VoxdeskElement } from './base';
import { baseStyles } from './styles';

interface Recording {
  state: 'loading' | 'ready' | 'error';
  url?: string;
  error?: string;
}

function duration(seconds: number | undefined): string {
  const whole = Math.max(0, Math.floor(seconds ?? 0));
  return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

/** How long an inbound caller nobody took waited before the call ended; `null` while it goes on or when unknown. */
function waitedSeconds(call: CallRecord): number | null {
  const from = Date.parse(call.requestedAt ?? '');
  const to = Date.parse(call.endedAt ?? '');
  return Number.isFinite(from) && Number.isFinite(to) ? Math.max(0, (to - from) / 1000) : null;
}

/** Newest first, by the time the call was requested. */
function byNewest(a: CallRecord, b: CallRecord): number {
  return (b.requestedAt ?? '').localeCompare(a.requestedAt ?? '');
}

/** Replaces the record with the same id, or adds it; keeps newest first. */
export function mergeCall(calls: readonly CallRecord[], record: CallRecord): CallRecord[] {
  const others = calls.filter((call) => call.id !== record.id);
  return [...others, record].sort(byNewest);
}

/** `<voxdesk-ticket-calls>`: a ticket's calls, made and received, with outcome, duration, agent, note and recording, kept live over STOMP. */
export class VoxdeskTicketCallsElement extends VoxdeskElement {
  static override styles = [
    baseStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 8px;
      }
      li {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 10px;
        overflow-wrap: anywhere;
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 4px 12px;
      }
      .status {
        font-weight: 600;
      }
      .meta,
      .note,
      .outcome {
        margin: 4px 0 0;
      }
      .meta {
        color: var(--_muted);
      }
      audio {
        width: 100%;
        margin-top: 6px;
      }
      .recording {
        margin-top: 6px;
      }
    `,
  ];

  /** The ticket whose calls are shown. */
  @property() ticket = '';

  @state() private calls: CallRecord[] = [];
  @state() private loading = false;
  @state() private error = '';
  @state() private liveOff = '';
  @state() private recordings = new Map<string, Recording>();

  private stopLive: (() => void) | undefined;
  private loadSerial = 0;
  private connected = false;
  private activeTicket = '';

  /** The calls currently listed, newest first. */
  get records(): readonly CallRecord[] {
    return this.calls;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.connected = true;
    this.restart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connected = false;
    this.stopLive?.();
    this.stopLive = undefined;
    this.revokeRecordings();
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    if (this.connected && this.ticket !== this.activeTicket) {
      this.revokeRecordings();
      this.calls = [];
      this.error = '';
      this.restart();
    }
  }

  protected override connectionSettingsChanged(): void {
    if (this.connected) {
      this.restart();
    }
  }

  /** Reloads the list from the server. */
  async reload(): Promise<void> {
    const ticket = this.ticket;
    if (!ticket || !this.effectiveTokenProvider) {
      return;
    }
    const serial = ++this.loadSerial;
    this.loading = true;
    try {
      const calls = await this.api.get<CallRecord[]>(`/api/tickets/${encodeURIComponent(ticket)}/calls`);
      if (serial === this.loadSerial) {
        this.calls = [...(calls ?? [])].sort(byNewest);
        this.error = '';
      }
    } catch (error) {
      if (serial === this.loadSerial) {
        this.error = this.errorText(error);
      }
    } finally {
      if (serial === this.loadSerial) {
        this.loading = false;
      }
    }
  }

  private restart(): void {
    this.stopLive?.();
    this.stopLive = undefined;
    this.activeTicket = this.ticket;
    void this.reload();
    const tokenProvider = this.effectiveTokenProvider;
    if (!tokenProvider || !this.ticket) {
      return;
    }
    let first = true;
    this.stopLive = subscribeLiveCalls(this.resolvedApiBase, tokenProvider, {
      record: (record) => {
        if (record.ticket && record.ticket === this.ticket) {
          this.calls = mergeCall(this.calls, record);
        }
      },
      connected: () => {
        this.liveOff = '';
        // After a reconnection, updates sent while offline were lost: fetch the list again.
        if (!first) {
          void this.reload();
        }
        first = false;
      },
      refused: (message) => (this.liveOff = message),
    });
  }

  private async play(call: CallRecord): Promise<void> {
    const current = this.recordings.get(call.id);
    if (current && current.state !== 'error') {
      return;
    }
    this.setRecording(call.id, { state: 'loading' });
    try {
      const blob = await this.api.blob(`/api/calls/${encodeURIComponent(call.id)}/recording`);
      if (!this.connected) {
        return;
      }
      this.setRecording(call.id, { state: 'ready', url: URL.createObjectURL(blob) });
    } catch (error) {
      this.setRecording(call.id, { state: 'error', error: this.errorText(error) });
    }
  }

  private setRecording(id: string, recording: Recording): void {
    const next = new Map(this.recordings);
    next.set(id, recording);
    this.recordings = next;
  }

  private revokeRecordings(): void {
    for (const recording of this.recordings.values()) {
      if (recording.url) {
        URL.revokeObjectURL(recording.url);
      }
    }
    this.recordings = new Map();
  }

  private formatTime(iso: string | undefined): string {
    if (!iso) {
      return '';
    }
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) {
      return iso;
    }
    return new Intl.DateTimeFormat(this.language, { dateStyle: 'short', timeStyle: 'short' }).format(date);
  }

  private statusText(status: string): string {
    const key = `callStatus.${String(status).toUpperCase()}` as MessageKey;
    const text = this.t(key);
    return text === key ? String(status) : text;
  }

  protected override render() {
    return html`
      <section class="card" data-testid="ticket-calls" aria-labelledby="calls-title" aria-busy=${this.loading ? 'true' : 'false'}>
        <h2 id="calls-title">${this.t('calls.title')}</h2>
        ${!this.ticket ? html`<p class="hint">${this.t('calls.noTicket')}</p>` : nothing}
        ${!this.effectiveTokenProvider ? html`<p class="hint">${this.t('common.notSignedIn')}</p>` : nothing}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${this.liveOff ? html`<p class="hint">${this.t('calls.liveOff', { message: this.liveOff })}</p>` : nothing}
        ${this.loading && this.calls.length === 0 ? html`<p class="hint">${this.t('common.loading')}</p>` : nothing}
        ${!this.loading && !this.error && this.ticket && this.effectiveTokenProvider && this.calls.length === 0
          ? html`<p class="hint">${this.t('calls.empty')}</p>`
          : nothing}
        <ul aria-live="polite">
          ${this.calls.map((call) => this.renderCall(call))}
        </ul>
      </section>
    `;
  }

  private renderCall(call: CallRecord) {
    const time = this.formatTime(call.requestedAt);
    const recording = this.recordings.get(call.id);
    const inbound = call.direction === 'inbound';
    const missedHow = inbound ? this.inboundOutcomeText(call) : '';
    const waited = inbound && !call.agent && !call.answeredAt ? waitedSeconds(call) : null;
    return html`
      <li data-testid="ticket-call" data-call-id=${call.id} data-status=${call.status} data-direction=${inbound ? 'inbound' : 'outbound'}>
        <div class="top">
          <span class="status">${this.statusText(call.status)}</span>
          <time datetime=${call.requestedAt ?? ''}>${time}</time>
        </div>
        ${missedHow
          ? html`<p class="outcome" data-testid="ticket-call-outcome" data-outcome=${String(call.outcome).toUpperCase()}>${missedHow}</p>`
          : nothing}
        <p class="meta">
          <span data-testid="ticket-call-direction">${this.directionText(call)}</span>
          ${call.agentName
            ? html` · <span data-testid="ticket-call-agent">${inbound
                ? this.t('calls.answeredBy', { agent: call.agentName })
                : `${this.t('calls.agent')}: ${call.agentName}`}</span>`
            : nothing}
          ${waited !== null
            ? html` · ${this.t('calls.waited')}: ${duration(waited)}`
            : html` · ${this.t('calls.duration')}: ${duration(call.talkSeconds)}`}
          ${call.endingEstimated
            ? html`<span data-testid="ticket-call-estimated" title=${call.failureReason ?? ''}>(${this.t('calls.estimated')})</span>`
            : nothing}
        </p>
        ${call.transfer
          ? html`<p class="transfer" data-testid="ticket-call-transfer" data-state=${call.transfer.state} title=${call.transfer.detail ?? ''}>
              ${this.transferText(call.transfer)}
            </p>`
          : nothing}
        ${call.note || call.disposition
          ? html`<p class="note">
              ${this.t('calls.note')}: ${call.note ?? ''}
              ${call.disposition ? html` (${this.dispositionText(call.disposition)})` : nothing}
            </p>`
          : nothing}
        ${call.recorded
          ? html`<div class="recording" data-testid="ticket-call-recording">
              ${recording?.state === 'ready'
                ? html`<audio controls autoplay src=${recording.url ?? ''} aria-label=${this.t('calls.recordingOf', { time })}></audio>`
                : html`<button type="button" data-testid="ticket-call-recording-play" ?disabled=${recording?.state === 'loading'}
                    @click=${() => void this.play(call)}>
                    ${recording?.state === 'loading' ? this.t('calls.loadingRecording') : this.t('calls.playRecording')}
                  </button>`}
              ${recording?.state === 'error'
                ? html`<p class="error" role="alert">${this.t('calls.recordingFailed', { detail: recording.error ?? '' })}</p>`
                : nothing}
            </div>`
          : nothing}
      </li>
    `;
  }

  /** Who called whom: records without a direction are click-to-calls, which came before inbound calls. */
  private directionText(call: CallRecord): string {
    const number = call.number || this.t('number.withheld');
    if (call.direction !== 'inbound') {
      return this.t('calls.outgoingTo', { number });
    }
    return call.callerName
      ? this.t('calls.incomingFromNamed', { name: call.callerName, number })
      : this.t('calls.incomingFrom', { number });
  }

  /** Why an inbound call reached nobody, for the outcomes whose status alone does not say it. */
  private inboundOutcomeText(call: CallRecord): string {
    const outcome = String(call.outcome ?? '').toUpperCase();
    if (outcome !== 'ABANDONED' && outcome !== 'NO_ANSWER' && outcome !== 'NOT_CONFIGURED') {
      return '';
    }
    return this.t(`calls.inboundOutcome.${outcome}`);
  }

  private transferText(transfer: CallTransfer): string {
    const key = `calls.transfer.${String(transfer.state).toUpperCase()}` as MessageKey;
    const text = this.t(key, { destination: transfer.destination });
    return text === key ? (transfer.detail ?? String(transfer.state)) : text;
  }

  private dispositionText(disposition: string): string {
    const key = `disposition.${disposition}` as MessageKey;
    const text = this.t(key);
    return text === key ? disposition : text;
  }
}
