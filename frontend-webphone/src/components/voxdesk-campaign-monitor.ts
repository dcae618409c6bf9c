import { html, css, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ApiError } from '../api/client';
import type { CampaignReport, CurrentUser } from '../api/types';
import { isMessageKey } from '../i18n';
import { subscribeTopics } from '../realtime/live-calls';
import { VoxdeskElement } from './base';
import { clock } from './format';
import { baseStyles } from './styles';

/** Outcomes in the order the monitor lists them: ended ones first, then those still to come; unknown ones after. */
export const OUTCOME_ORDER = ['answered', 'machine', 'voicemail', 'busy', 'no-answer', 'failed', 'opted-out', 'do-not-call', 'calling', 'pending'];

/** The outcomes of contacts the campaign is not done with. */
const UNFINISHED = new Set(['pending', 'calling']);

/** A moment at which the monitor knew how many contacts were done, on the browser's clock. */
export interface ProgressSample {
  at: number;
  finished: number;
}

/** Contacts the campaign is done with: all of them but those still pending or being called. */
export function finishedContacts(report: CampaignReport): number {
  const open = Object.entries(report.byOutcome ?? {})
    .filter(([outcome]) => UNFINISHED.has(outcome))
    .reduce((sum, [, count]) => sum + (count ?? 0), 0);
  return Math.max(0, (report.contacts ?? 0) - open);
}

/**
 * Seconds until every contact is done at the rate contacts were finished between the first and the last sample, or
 * `null` while that cannot be said (fewer than two samples, no contact finished between them, nothing left to time).
 */
export function estimateSecondsLeft(samples: readonly ProgressSample[], contacts: number): number | null {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.at <= first.at || last.finished <= first.finished) {
    return null;
  }
  const perMs = (last.finished - first.finished) / (last.at - first.at);
  const left = Math.max(0, contacts - last.finished);
  return Math.round(left / perMs / 1000);
}

/** Keys of the report's maps in the monitor's order; keys it has no words for keep the server's order at the end. */
export function orderedOutcomes(byOutcome: Record<string, number>): string[] {
  const keys = Object.keys(byOutcome);
  const known = OUTCOME_ORDER.filter((outcome) => keys.includes(outcome));
  return [...known, ...keys.filter((key) => !OUTCOME_ORDER.includes(key))];
}

/** The name of a key in test ids: `*` and `#` are awkward in selectors. */
function keyId(key: string): string {
  return key === '*' ? 'star' : key === '#' ? 'hash' : key;
}

/**
 * `<voxdesk-campaign-monitor campaign-id="…">`: a tenant admin's live view of one campaign: calls in progress, calls in
 * the last minute, contacts by outcome, progress with an estimate of the time left, and the IVR keys pressed.
 */
export class VoxdeskCampaignMonitorElement extends VoxdeskElement {
  static override styles = [
    baseStyles,
    css`
      .figures {
        display: grid;
        gap: 8px;
        grid-template-columns: repeat(auto-fit, minmax(150px, 1fr));
        margin: 8px 0;
      }
      .figure {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 6px 10px;
      }
      .figure .value {
        display: block;
        font-size: 1.5em;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 4px 12px;
        align-items: baseline;
      }
      .state {
        border-radius: 999px;
        padding: 0 10px;
        border: 1px solid var(--_border);
        font-size: 0.87em;
      }
      .bar {
        height: 14px;
        border-radius: 7px;
        background: #e4e8ee;
        overflow: hidden;
        margin: 4px 0;
      }
      .bar > span {
        display: block;
        height: 100%;
        background: var(--_accent);
      }
      .parts {
        display: grid;
        gap: 12px;
        grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
        margin-top: 10px;
      }
      h3 {
        font-size: 1em;
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th,
      td {
        text-align: left;
        padding: 3px 6px;
        border-bottom: 1px solid var(--_border);
        overflow-wrap: anywhere;
      }
      td.number {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      thead th {
        color: var(--_muted);
        font-weight: 600;
      }
      tbody th {
        font-weight: 400;
      }
      .live {
        border-left: 4px solid #c77700;
        padding: 4px 8px;
      }
    `,
  ];

  /** The campaign to follow. */
  @property({ attribute: 'campaign-id' }) campaignId = '';

  /** The tenant whose campaign topic to follow; read from `GET /api/tenants/me` when not given. */
  @property() tenant = '';

  @state() private current: CampaignReport | null = null;
  @state() private loading = false;
  @state() private error = '';
  /** `null` unless refused with 403; then the problem's detail, or empty for the catalogue's words. */
  @state() private forbidden: string | null = null;
  @state() private liveOff = '';
  @state() private reconnecting = false;

  private samples: ProgressSample[] = [];
  /** The campaign and tenant the monitor was started for, to notice when the host changes either. */
  private activeCampaign = '';
  private activeTenant = '';
  private stopLive: (() => void) | undefined;
  private liveTopic = '';
  /** Bumped whenever what the monitor shows depends on changes, so that answers to older requests are dropped. */
  private generation = 0;
  private connected = false;

  /** The report as last received, or `null` before the first one. */
  get report(): CampaignReport | null {
    return this.current;
  }

  /** Seconds left at the rate contacts were finished while this monitor watched the campaign run; `null` when unknown. */
  get secondsLeft(): number | null {
    return this.current && this.current.state === 'running' ? estimateSecondsLeft(this.samples, this.current.contacts) : null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.connected = true;
    this.restart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connected = false;
    this.generation++;
    this.unfollow();
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    // Compared with what the monitor started for: a host often sets the attributes just after adding the element.
    if (this.connected && (this.campaignId !== this.activeCampaign || this.tenant !== this.activeTenant)) {
      this.restart();
    }
  }

  protected override connectionSettingsChanged(): void {
    if (this.connected) {
      this.restart();
    }
  }

  /** Reads the report again (a reconnection does this by itself: messages sent meanwhile were lost). */
  async reload(): Promise<void> {
    const generation = this.generation;
    const id = this.campaignId;
    if (!id || !this.effectiveTokenProvider) {
      return;
    }
    this.loading = true;
    try {
      const report = await this.api.get<CampaignReport>(`/api/campaigns/${encodeURIComponent(id)}/report`);
      if (generation !== this.generation) {
        return;
      }
      this.accept(report);
      this.error = '';
      this.forbidden = null;
      await this.follow(generation);
    } catch (error) {
      if (generation !== this.generation) {
        return;
      }
      if (error instanceof ApiError && error.status === 403) {
        // Not an admin: the tenant's campaign topic would be refused as well, and close the shared connection.
        this.forbidden = error.detail;
        this.current = null;
        this.unfollow();
      } else {
        this.error = this.errorText(error);
      }
    } finally {
      if (generation === this.generation) {
        this.loading = false;
      }
    }
  }

  private restart(): void {
    this.activeCampaign = this.campaignId;
    this.activeTenant = this.tenant;
    this.generation++;
    this.unfollow();
    this.current = null;
    this.samples = [];
    this.error = '';
    this.forbidden = null;
    this.liveOff = '';
    this.reconnecting = false;
    void this.reload();
  }

  /** Takes a report of this campaign; the rate of progress is measured only while it runs, pauses would skew it. */
  private accept(report: CampaignReport): void {
    const finished = finishedContacts(report);
    if (report.state !== 'running') {
      this.samples = [];
    } else {
      this.samples = [...this.samples, { at: Date.now(), finished }];
    }
    this.current = report;
    this.emit('voxdesk-campaign-report', report);
  }

  private async tenantId(generation: number): Promise<string> {
    if (this.tenant) {
      return this.tenant;
    }
    const me = await this.api.get<CurrentUser>('/api/tenants/me');
    return generation === this.generation ? (me?.tenant?.id ?? '') : '';
  }

  /** Follows the tenant's campaign topic; every message is a whole report of one of its campaigns. */
  private async follow(generation: number): Promise<void> {
    const tokenProvider = this.effectiveTokenProvider;
    if (!tokenProvider || this.stopLive) {
      return;
    }
    let tenant: string;
    try {
      tenant = await this.tenantId(generation);
    } catch (error) {
      if (generation === this.generation) {
        this.liveOff = this.errorText(error);
      }
      return;
    }
    if (!tenant || generation !== this.generation || this.stopLive) {
      return;
    }
    const topic = `/topic/tenants/${tenant}/campaigns`;
    this.liveTopic = topic;
    let subscribing = true;
    this.stopLive = subscribeTopics(this.resolvedApiBase, tokenProvider, [topic], {
      message: (_destination, body) => this.received(body),
      connected: () => {
        this.liveOff = '';
        this.reconnecting = false;
        // Reports sent while the feed was down were never delivered.
        if (!subscribing) {
          void this.reload();
        }
      },
      disconnected: () => (this.reconnecting = true),
      refused: (message) => (this.liveOff = message),
    });
    subscribing = false;
  }

  private received(body: unknown): void {
    if (!body || typeof body !== 'object') {
      return;
    }
    const report = body as CampaignReport;
    // The topic carries every campaign of the tenant.
    if (String(report.campaign ?? '').toLowerCase() !== this.campaignId.toLowerCase()) {
      return;
    }
    this.accept(report);
  }

  private unfollow(): void {
    this.stopLive?.();
    this.stopLive = undefined;
    this.liveTopic = '';
  }

  /** The topic followed now, or empty (for hosts and tests that want to know whether the monitor is live). */
  get topic(): string {
    return this.liveTopic;
  }

  private number(value: number, digits = 0): string {
    return new Intl.NumberFormat(this.language, { maximumFractionDigits: digits }).format(value);
  }

  private outcomeText(outcome: string): string {
    const key = `campaign.outcome.${outcome}`;
    return isMessageKey(key) ? this.t(key) : outcome;
  }

  private stateText(state: string): string {
    const key = `campaign.state.${state}`;
    return isMessageKey(key) ? this.t(key) : state;
  }

  protected override render() {
    const report = this.current;
    return html`
      <section class="card" data-testid="campaign-monitor" aria-labelledby="monitor-title" aria-busy=${this.loading ? 'true' : 'false'}>
        <div class="top">
          <h2 id="monitor-title" data-testid="monitor-name">${report?.name || this.t('monitor.title')}</h2>
          ${report
            ? html`<span class="state" data-testid="monitor-state" data-state=${report.state}>${this.stateText(report.state)}</span>`
            : nothing}
        </div>
        ${!this.effectiveTokenProvider ? html`<p class="hint">${this.t('common.notSignedIn')}</p>` : nothing}
        ${!this.campaignId ? html`<p class="hint">${this.t('monitor.noCampaign')}</p>` : nothing}
        ${this.forbidden !== null
          ? html`<p class="error" role="alert" data-testid="monitor-forbidden">${this.forbidden || this.t('monitor.adminOnly')}</p>`
          : nothing}
        ${this.error ? html`<p class="error" role="alert" data-testid="monitor-error">${this.error}</p>` : nothing}
        <div role="status" aria-live="polite">
          ${this.reconnecting ? html`<p class="live" data-testid="monitor-reconnecting">${this.t('monitor.reconnecting')}</p>` : nothing}
          ${this.liveOff ? html`<p class="hint" data-testid="monitor-live-off">${this.t('calls.liveOff', { message: this.liveOff })}</p>` : nothing}
        </div>
        ${this.loading && !report ? html`<p class="hint">${this.t('common.loading')}</p>` : nothing}
        ${report ? this.renderReport(report) : nothing}
      </section>
    `;
  }

  private renderReport(report: CampaignReport) {
    const contacts = report.contacts ?? 0;
    const finished = finishedContacts(report);
    const percent = contacts > 0 ? Math.floor((finished / contacts) * 100) : 0;
    const left = this.secondsLeft;
    const byOutcome = report.byOutcome ?? {};
    const byKey = report.byKey ?? {};
    const keys = Object.keys(byKey);
    const hours = report.answerRateByHour ?? [];
    const none = this.t('common.none');
    return html`
      <div class="figures">
        ${this.figure('monitor-in-progress', this.t('monitor.inProgress'), this.number(report.inProgress ?? 0))}
        ${this.figure(
          'monitor-calls-per-minute',
          this.t('monitor.callsPerMinute'),
          typeof report.callsLastMinute === 'number' ? this.number(report.callsLastMinute) : none,
        )}
        ${this.figure('monitor-attempts', this.t('monitor.attempts'), this.number(report.attempts ?? 0))}
        ${this.figure('monitor-attempts-per-contact', this.t('monitor.attemptsPerContact'), this.number(report.attemptsPerContact ?? 0, 1))}
        ${this.figure('monitor-talk', this.t('monitor.talk'), clock(report.talkSeconds ?? 0))}
        ${this.figure('monitor-average-talk', this.t('monitor.averageTalk'), clock(report.averageTalkSeconds ?? 0))}
      </div>
      <h3 id="progress-title">${this.t('monitor.progress')}</h3>
      <div class="bar" role="progressbar" data-testid="monitor-progress" aria-labelledby="progress-title" aria-valuemin="0"
        aria-valuemax=${contacts} aria-valuenow=${finished} aria-valuetext=${`${percent}%`}>
        <span style=${`width: ${percent}%`}></span>
      </div>
      <p style="margin: 0" data-testid="monitor-progress-text">
        ${this.t('monitor.progressText', { done: this.number(finished), total: this.number(contacts), percent })}
      </p>
      <p style="margin: 4px 0 0">
        ${this.t('monitor.timeLeft')}:
        ${left === null
          ? html`<span data-testid="monitor-time-left" title=${this.t('monitor.timeLeftUnknown')} aria-hidden="true">${none}</span><span
                class="visually-hidden">${this.t('monitor.timeLeftUnknown')}</span>`
          : html`<span data-testid="monitor-time-left" role="timer" data-seconds=${left}>${clock(left)}</span>`}
      </p>
      <div class="parts">
        <div>
          <h3 id="outcomes-title">${this.t('monitor.outcomes')}</h3>
          <table aria-labelledby="outcomes-title">
            <thead>
              <tr>
                <th scope="col">${this.t('monitor.outcome')}</th>
                <th scope="col">${this.t('monitor.contacts')}</th>
                <th scope="col">${this.t('monitor.share')}</th>
              </tr>
            </thead>
            <tbody>
              ${orderedOutcomes(byOutcome).map((outcome) => {
                const share = report.percentByOutcome?.[outcome];
                return html`<tr data-testid=${`monitor-outcome-${outcome}`} data-outcome=${outcome}>
                  <th scope="row">${this.outcomeText(outcome)}</th>
                  <td class="number" data-testid="monitor-outcome-count">${this.number(byOutcome[outcome] ?? 0)}</td>
                  <td class="number">${typeof share === 'number' ? `${this.number(share, 1)}%` : none}</td>
                </tr>`;
              })}
            </tbody>
          </table>
        </div>
        <div>
          <h3 id="keys-title">${this.t('monitor.keys')}</h3>
          ${keys.length === 0
            ? html`<p class="hint" data-testid="monitor-no-keys">${this.t('monitor.noKeys')}</p>`
            : html`<table aria-labelledby="keys-title">
                <thead>
                  <tr>
                    <th scope="col">${this.t('monitor.key')}</th>
                    <th scope="col">${this.t('monitor.presses')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${keys.map(
                    (key) => html`<tr data-testid=${`monitor-key-${keyId(key)}`}>
                      <th scope="row">${key}</th>
                      <td class="number">${this.number(byKey[key] ?? 0)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>`}
        </div>
        ${hours.length > 0
          ? html`<div>
              <h3 id="hours-title">${this.t('monitor.hours')}</h3>
              <table aria-labelledby="hours-title" data-testid="monitor-hours">
                <thead>
                  <tr>
                    <th scope="col">${this.t('monitor.hour')}</th>
                    <th scope="col">${this.t('monitor.attempts')}</th>
                    <th scope="col">${this.t('monitor.answered')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${hours.map(
                    (hour) => html`<tr>
                      <th scope="row">${this.hourText(hour.hour)}</th>
                      <td class="number">${this.number(hour.attempts)}</td>
                      <td class="number">
                        ${this.number(hour.answered)}${hour.attempts > 0 ? ` (${Math.round((hour.answered / hour.attempts) * 100)}%)` : ''}
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : nothing}
      </div>
    `;
  }

  private figure(testId: string, label: string, value: string) {
    return html`<div class="figure"><span class="hint">${label}</span><span class="value" data-testid=${testId}>${value}</span></div>`;
  }

  /** The hour in the reader's zone: the server counts in UTC hours. */
  private hourText(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(this.language, { dateStyle: 'short', timeStyle: 'short' }).format(date);
  }
}
