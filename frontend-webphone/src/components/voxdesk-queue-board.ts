import { html, css, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ApiError } from '../api/client';
import type { PresenceCode, QueueBoard, QueueBoardAgent, QueueBoardCaller, QueueBoardQueue } from '../api/types';
import type { MessageKey } from '../i18n';
import { subscribeTopics } from '../realtime/live-calls';
import { VoxdeskElement } from './base';
import { clock } from './format';
import { baseStyles } from './styles';

/** How long live messages are gathered before the board is fetched again: one call change sends several. */
export const BOARD_REFRESH_DELAY_MS = 250;

const PRESENCE_TEXT: Record<PresenceCode, MessageKey> = {
  available: 'presence.available',
  away: 'presence.away',
  offline: 'presence.offline',
  'on-call': 'presence.onCall',
  'wrap-up': 'presence.wrapUp',
};

/** Server time minus browser time, so that waits count on the server's clock; 0 when `at` is unreadable. */
function skewOf(at: string): number {
  const server = Date.parse(at);
  return Number.isFinite(server) ? server - Date.now() : 0;
}

/** `<voxdesk-queue-board>`: tenant admins' live view of each queue's waiting callers, agents and today's counts. */
export class VoxdeskQueueBoardElement extends VoxdeskElement {
  static override styles = [
    baseStyles,
    css`
      .queues {
        display: grid;
        gap: 12px;
      }
      .queue {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 10px;
        min-width: 0;
      }
      .parts {
        display: grid;
        gap: 12px;
        grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
      }
      h4 {
        margin: 0 0 4px;
        font-size: 1em;
      }
      .count {
        margin: 0 0 6px;
        font-weight: 600;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 6px;
      }
      li {
        border-left: 4px solid var(--_accent);
        padding: 4px 8px;
        overflow-wrap: anywhere;
      }
      .who {
        font-weight: 600;
      }
      .sub {
        display: block;
        color: var(--_muted);
      }
      .wait {
        display: block;
      }
      [role='timer'] {
        font-variant-numeric: tabular-nums;
        font-weight: 600;
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th,
      td {
        text-align: left;
        padding: 4px 6px;
        border-bottom: 1px solid var(--_border);
        overflow-wrap: anywhere;
      }
      thead th {
        color: var(--_muted);
        font-weight: 600;
      }
      tbody th {
        font-weight: 400;
      }
      .badge {
        display: inline-flex;
        align-items: center;
        gap: 6px;
      }
      .badge::before {
        content: '';
        width: 10px;
        height: 10px;
        border-radius: 50%;
        flex: none;
        background: var(--_muted);
      }
      .badge[data-presence='available']::before {
        background: var(--_ok);
      }
      .badge[data-presence='away']::before {
        background: #c77700;
      }
      .badge[data-presence='on-call']::before {
        background: var(--_accent);
      }
      .badge[data-presence='wrap-up']::before {
        background: #7b4bb7;
      }
      dl {
        display: grid;
        grid-template-columns: minmax(0, 1fr) max-content;
        gap: 2px 12px;
        margin: 0;
      }
      dl div {
        display: contents;
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
        font-weight: 600;
        text-align: right;
      }
    `,
  ];

  /** The IANA time zone whose midnight starts today's counts; the browser's by default. */
  @property() zone = '';

  @state() private board: QueueBoard | null = null;
  @state() private loading = false;
  @state() private error = '';
  /** `null` unless refused with 403; then the problem's detail, or empty for the catalogue's words. */
  @state() private forbidden: string | null = null;
  @state() private liveOff = '';

  private skew = 0;
  /** Bumped whenever what the board depends on changes, so that answers to older requests are dropped. */
  private generation = 0;
  private inFlight: Promise<void> | null = null;
  private again = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private stopLive: (() => void) | undefined;
  private liveTenant = '';
  private connected = false;

  /** The board as last loaded, or `null` before the first answer (and after a refusal). */
  get snapshot(): QueueBoard | null {
    return this.board;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.connected = true;
    this.restart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connected = false;
    this.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('zone') && changed.get('zone') !== undefined && this.connected) {
      this.restart();
    }
  }

  protected override connectionSettingsChanged(): void {
    if (this.connected) {
      this.restart();
    }
  }

  /**
   * Fetches the board now; while a request is under way it only asks for one more after it, and resolves with the
   * request under way.
   */
  reload(): Promise<void> {
    if (!this.effectiveTokenProvider) {
      return Promise.resolve();
    }
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    const generation = this.generation;
    const request = this.load(generation).finally(() => {
      if (generation !== this.generation) {
        return;
      }
      this.inFlight = null;
      if (this.again) {
        this.again = false;
        void this.reload();
      }
    });
    this.inFlight = request;
    return request;
  }

  private restart(): void {
    this.stop();
    this.board = null;
    this.error = '';
    this.forbidden = null;
    this.liveOff = '';
    void this.reload();
  }

  private stop(): void {
    this.generation++;
    this.inFlight = null;
    this.again = false;
    this.loading = false;
    this.unfollow();
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.stopTicker();
  }

  private async load(generation: number): Promise<void> {
    this.loading = true;
    try {
      const board = await this.api.get<QueueBoard>(this.path());
      if (generation !== this.generation) {
        return;
      }
      this.skew = skewOf(board.at);
      this.board = { ...board, queues: board.queues ?? [] };
      this.error = '';
      this.forbidden = null;
      this.follow(board.tenantId);
    } catch (error) {
      if (generation !== this.generation) {
        return;
      }
      if (error instanceof ApiError && error.status === 403) {
        // Not (or no longer) an admin: the tenant topics would be refused as well.
        this.forbidden = error.detail;
        this.board = null;
        this.unfollow();
      } else {
        this.error = this.errorText(error);
      }
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.updateTicker();
      }
    }
  }

  /** "Today" starts at midnight where the admin is, not at the server's UTC midnight. */
  private path(): string {
    const zone = this.zone || Intl.DateTimeFormat().resolvedOptions().timeZone;
    return zone ? `/api/queue-board?zone=${encodeURIComponent(zone)}` : '/api/queue-board';
  }

  /** Re-fetches a moment after a live message, so that a burst of messages costs one request. */
  private scheduleRefresh(): void {
    if (this.refreshTimer !== undefined) {
      return;
    }
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.reload();
    }, BOARD_REFRESH_DELAY_MS);
  }

  /** Listens to the tenant's calls and presence; the messages only say that something changed. */
  private follow(tenantId: string): void {
    const tokenProvider = this.effectiveTokenProvider;
    if (!tokenProvider || !tenantId || tenantId === this.liveTenant) {
      return;
    }
    this.unfollow();
    this.liveTenant = tenantId;
    const topic = `/topic/tenants/${tenantId}`;
    let subscribing = true;
    this.stopLive = subscribeTopics(this.resolvedApiBase, tokenProvider, [`${topic}/calls`, `${topic}/presence`], {
      message: () => this.scheduleRefresh(),
      connected: () => {
        this.liveOff = '';
        // Changes made while the feed was down, or before it first connected, were never pushed.
        if (!subscribing) {
          this.scheduleRefresh();
        }
      },
      refused: (message) => (this.liveOff = message),
    });
    subscribing = false;
  }

  private unfollow(): void {
    this.stopLive?.();
    this.stopLive = undefined;
    this.liveTenant = '';
  }

  /** Waits tick only while someone waits. */
  private updateTicker(): void {
    const anyoneWaiting = this.board?.queues.some((queue) => queue.waiting.length > 0) ?? false;
    if (anyoneWaiting && this.ticker === undefined) {
      this.ticker = setInterval(() => this.requestUpdate(), 1000);
    } else if (!anyoneWaiting) {
      this.stopTicker();
    }
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private waitedSeconds(caller: QueueBoardCaller): number {
    const since = Date.parse(caller.queuedAt);
    return Number.isFinite(since) ? Math.max(0, Math.floor((Date.now() + this.skew - since) / 1000)) : 0;
  }

  private presenceText(agent: QueueBoardAgent): string {
    if (agent.presence === 'away' && agent.reason) {
      return this.t('presence.awayWith', { reason: agent.reason });
    }
    const key = PRESENCE_TEXT[agent.presence as PresenceCode];
    return key ? this.t(key) : String(agent.presence);
  }

  protected override render() {
    const board = this.board;
    return html`
      <section class="card" data-testid="queue-board" aria-labelledby="board-title" aria-busy=${this.loading ? 'true' : 'false'}>
        <h2 id="board-title">${this.t('board.title')}</h2>
        ${!this.effectiveTokenProvider ? html`<p class="hint">${this.t('common.notSignedIn')}</p>` : nothing}
        ${this.forbidden !== null
          ? html`<p class="error" data-testid="queue-board-forbidden" role="alert">${this.forbidden || this.t('board.adminOnly')}</p>`
          : nothing}
        ${this.error ? html`<p class="error" data-testid="queue-board-error" role="alert">${this.error}</p>` : nothing}
        ${this.liveOff ? html`<p class="hint">${this.t('calls.liveOff', { message: this.liveOff })}</p>` : nothing}
        ${this.loading && !board ? html`<p class="hint">${this.t('common.loading')}</p>` : nothing}
        ${board && board.queues.length === 0
          ? html`<p class="hint" data-testid="queue-board-empty" role="status">${this.t('board.noQueues')}</p>`
          : nothing}
        ${board && board.queues.length > 0
          ? html`<div class="queues">${board.queues.map((queue) => this.renderQueue(queue))}</div>`
          : nothing}
      </section>
    `;
  }

  private renderQueue(queue: QueueBoardQueue) {
    const prefix = `queue-${queue.id}`;
    const today = queue.today;
    return html`
      <section class="queue" data-testid=${prefix} aria-labelledby=${`${prefix}-title`}>
        <h3 id=${`${prefix}-title`}>${queue.name}</h3>
        <div class="parts">
          <div>
            <h4 id=${`${prefix}-waiting`}>${this.t('board.waiting')}</h4>
            <p class="count" role="status" data-testid="waiting-count">
              ${queue.waiting.length > 0 ? this.t('board.waitingCount', { count: queue.waiting.length }) : this.t('board.nobodyWaiting')}
            </p>
            ${queue.waiting.length > 0
              ? html`<ul aria-labelledby=${`${prefix}-waiting`}>${queue.waiting.map((caller) => this.renderCaller(caller))}</ul>`
              : nothing}
          </div>
          <div>
            <h4 id=${`${prefix}-agents`}>${this.t('board.agents')}</h4>
            ${queue.agents.length === 0
              ? html`<p class="hint" data-testid="agents-empty">${this.t('board.noAgents')}</p>`
              : html`<table aria-labelledby=${`${prefix}-agents`}>
                  <thead>
                    <tr>
                      <th scope="col">${this.t('board.agent')}</th>
                      <th scope="col">${this.t('presence.label')}</th>
                      <th scope="col">${this.t('board.currentCall')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${queue.agents.map((agent) => this.renderAgent(agent))}
                  </tbody>
                </table>`}
          </div>
          <div>
            <h4 id=${`${prefix}-today`}>${this.t('board.today')}</h4>
            <dl aria-labelledby=${`${prefix}-today`}>
              ${this.renderCount('today-offered', 'board.today.offered', String(today.offered))}
              ${this.renderCount('today-answered', 'board.today.answered', String(today.answered))}
              ${this.renderCount('today-missed', 'board.today.missed', String(today.missed))}
              ${this.renderCount('today-answered-within-20s', 'board.today.answeredWithin20s', String(today.answeredWithin20s))}
              ${this.renderCount(
                'today-average-wait',
                'board.today.averageWait',
                today.averageWaitSeconds === null || today.averageWaitSeconds === undefined
                  ? this.t('board.today.noAverage')
                  : clock(today.averageWaitSeconds),
              )}
            </dl>
          </div>
        </div>
      </section>
    `;
  }

  private renderCaller(caller: QueueBoardCaller) {
    const name = caller.contactName || caller.callerName || '';
    const number = caller.number || this.t('number.withheld');
    const waited = this.waitedSeconds(caller);
    const id = `waiting-${caller.callId}`;
    return html`
      <li data-testid=${id}>
        <span class="who">${name || number}</span>
        ${name ? html`<span class="sub">${number}</span>` : nothing}
        <span class="wait">
          ${this.t('board.waitingFor')}
          <span role="timer" data-testid=${`${id}-wait`} data-seconds=${waited}>${clock(waited)}</span>
        </span>
        <span class="sub" data-testid=${`${id}-ringing`}>
          ${caller.ringing.length > 0 ? this.t('board.ringing', { agents: caller.ringing.join(', ') }) : this.t('board.ringingNobody')}
        </span>
      </li>
    `;
  }

  private renderAgent(agent: QueueBoardAgent) {
    const id = `agent-${agent.username}`;
    const call = agent.callNumber || (agent.callId ? this.t('number.withheld') : this.t('board.noCall'));
    return html`
      <tr data-testid=${id} data-presence=${agent.presence}>
        <th scope="row">${agent.username}</th>
        <td><span class="badge" data-testid=${`${id}-presence`} data-presence=${agent.presence}>${this.presenceText(agent)}</span></td>
        <td data-testid=${`${id}-call`}>${call}</td>
      </tr>
    `;
  }

  private renderCount(testId: string, label: MessageKey, value: string) {
    return html`<div><dt>${this.t(label)}</dt><dd data-testid=${testId}>${value}</dd></div>`;
  }
}
