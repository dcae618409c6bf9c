import { html, css, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { ApiError } from '../api/client';
import type {
  AudioItem,
  AudioKind,
  CampaignDetails,
  IvrAction,
  ProviderConnection,
  Queue,
  SpeechRequest,
  TenantMember,
} from '../api/types';
import { isMessageKey, type MessageKey } from '../i18n';
import { VoxdeskElement } from './base';
import {
  DAYS,
  IVR_ACTIONS,
  IVR_KEYS,
  campaignActions,
  campaignErrorField,
  campaignRequest,
  draftOfCampaign,
  fieldOfRefusal,
  isEditable,
  keyName,
  newCampaignDraft,
  onlyWindowEditable,
  validateCampaignDraft,
  type CampaignAction,
  type CampaignDraft,
  type Day,
  type IvrDraft,
  type IvrKey,
  type IvrOptionDraft,
} from './campaign-draft';
import { baseStyles } from './styles';

/** How long an object URL of a download is kept: revoking it at once can cancel the download in some browsers. */
export const DOWNLOAD_URL_LIFETIME_MS = 60_000;

/** What a new audio is for: the campaign's message, or the menu's prompt. */
type AudioUse = 'message' | 'prompt';

/** A report a campaign can be downloaded as. */
export type CampaignDownload = 'csv' | 'pdf';

/** The browser's time zone, which is where the admin most likely wants the window; São Paulo as the server's default. */
function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'America/Sao_Paulo';
  } catch {
    return 'America/Sao_Paulo';
  }
}

/** Every IANA zone the browser knows, offered as suggestions; a browser without the list only gets free text. */
const ZONES: readonly string[] = (() => {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
})();

/** The connection's limit of simultaneous calls, when it declares one (Asterisk's `channelLimit`). */
function channelLimitOf(connection: ProviderConnection | undefined): number | undefined {
  const limit = connection?.settings?.channelLimit;
  return limit && /^[0-9]{1,9}$/.test(limit) ? Number(limit) : undefined;
}

/** Adds or replaces an item, newest first, as the library lists them. */
function withAudio(items: readonly AudioItem[], item: AudioItem): AudioItem[] {
  return [item, ...items.filter((other) => other.id !== item.id)];
}

/**
 * `<voxdesk-campaigns>`: tenant admins list the voice campaigns, create and edit them (message from the audio library,
 * an upload or typed text; contacts by tags and text; calling window; an IVR menu), start, pause, resume, cancel or
 * delete them, and download their attempts and report.
 */
export class VoxdeskCampaignsElement extends VoxdeskElement {
  static override styles = [
    baseStyles,
    css`
      .wrap {
        display: grid;
        gap: 12px;
        max-width: 760px;
      }
      .campaigns {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 8px;
      }
      .campaigns > li {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 8px 10px;
        display: grid;
        gap: 6px;
        overflow-wrap: anywhere;
      }
      .campaigns > li[aria-current='true'] {
        border-color: var(--_accent);
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 4px 12px;
      }
      .name {
        font-weight: 600;
      }
      .state {
        border-radius: 999px;
        padding: 0 10px;
        border: 1px solid var(--_border);
        font-size: 0.87em;
      }
      .state[data-state='running'] {
        border-color: var(--_ok);
        color: var(--_ok);
      }
      .state[data-state='paused'] {
        border-color: #c77700;
        color: #8a5300;
      }
      .confirm {
        border-left: 4px solid var(--_danger);
        padding: 4px 8px;
      }
      fieldset {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        margin: 12px 0 0;
        padding: 4px 10px 10px;
        min-width: 0;
      }
      legend {
        font-weight: 600;
        padding: 0 4px;
      }
      .days {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 14px;
      }
      .days label {
        margin: 4px 0;
      }
      .pair {
        display: grid;
        gap: 0 12px;
        grid-template-columns: repeat(auto-fit, minmax(160px, 1fr));
      }
      .keys {
        display: grid;
        gap: 6px;
        margin-top: 8px;
      }
      .key {
        display: grid;
        grid-template-columns: 5.5em minmax(0, 1fr) minmax(0, 1fr);
        gap: 4px 8px;
        align-items: center;
      }
      .key > .keyname {
        font-weight: 600;
        margin: 0;
      }
      .key > .field-error {
        grid-column: 2 / -1;
      }
      textarea {
        min-height: 80px;
        resize: vertical;
      }
      .audio {
        background: #f6f8fb;
      }
    `,
  ];

  @state() private campaigns: CampaignDetails[] = [];
  @state() private loading = false;
  @state() private listError = '';
  /** `null` unless refused with 403; then the problem's detail, or empty for the catalogue's words. */
  @state() private forbidden: string | null = null;
  @state() private optionsError = '';
  @state() private connections: ProviderConnection[] = [];
  @state() private messageAudio: AudioItem[] = [];
  @state() private promptAudio: AudioItem[] = [];
  @state() private queues: Queue[] = [];
  /** `null` when the members could not be read: the user of a transfer is then typed as an id. */
  @state() private members: TenantMember[] | null = null;
  @state() private languages: string[] = [];

  @state() private draft: CampaignDraft | null = null;
  @state() private fieldErrors: Record<string, string> = {};
  @state() private formError = '';
  @state() private saved = false;
  @state() private saving = false;

  @state() private busy: { id: string; action: CampaignAction } | null = null;
  @state() private confirming: { id: string; action: 'cancel' | 'delete' } | null = null;
  @state() private downloading = new Set<string>();
  @state() private itemErrors: Record<string, string> = {};

  @state() private audioUse: AudioUse = 'message';
  @state() private speechText = '';
  @state() private speechLanguage = '';
  @state() private speechName = '';
  @state() private uploadName = '';
  @state() private audioBusy: 'speech' | 'upload' | null = null;
  @state() private audioError = '';
  @state() private audioCreated = '';

  private file: File | null = null;
  private loadSerial = 0;
  private readonly objectUrls = new Map<string, ReturnType<typeof setTimeout>>();

  /** The campaigns as last loaded, in the server's order. */
  get list(): readonly CampaignDetails[] {
    return this.campaigns;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.loadSerial++;
    for (const [url, timer] of this.objectUrls) {
      clearTimeout(timer);
      URL.revokeObjectURL(url);
    }
    this.objectUrls.clear();
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    this.syncSelects();
  }

  /**
   * Makes each select show the option the template marks `selected`: an option the user once picked no longer follows
   * that attribute (so opening another campaign would show stale choices), and some DOMs ignore it on insertion.
   */
  private syncSelects(): void {
    for (const select of this.renderRoot.querySelectorAll('select')) {
      const wanted = [...select.options].find((option) => option.hasAttribute('selected'));
      if (wanted && select.value !== wanted.value) {
        select.value = wanted.value;
      }
    }
  }

  protected override connectionSettingsChanged(): void {
    if (this.isConnected) {
      this.draft = null;
      void this.reload();
    }
  }

  /** Loads the campaigns and, once the API let this user see them, what the form offers to choose from. */
  async reload(): Promise<void> {
    if (!this.effectiveTokenProvider) {
      return;
    }
    const serial = ++this.loadSerial;
    this.loading = true;
    try {
      const campaigns = await this.api.get<CampaignDetails[]>('/api/campaigns');
      if (serial !== this.loadSerial) {
        return;
      }
      this.campaigns = campaigns ?? [];
      this.forbidden = null;
      this.listError = '';
      await this.loadChoices(serial);
    } catch (error) {
      if (serial !== this.loadSerial) {
        return;
      }
      if (error instanceof ApiError && error.status === 403) {
        this.forbidden = error.detail;
        this.campaigns = [];
        this.draft = null;
      } else {
        this.listError = this.errorText(error);
      }
    } finally {
      if (serial === this.loadSerial) {
        this.loading = false;
      }
    }
  }

  /** Best effort each: a list that fails to load leaves its choice empty and says so, the rest of the form works. */
  private async loadChoices(serial: number): Promise<void> {
    const api = this.api;
    const [connections, messages, prompts, queues, members, languages] = await Promise.allSettled([
      api.get<ProviderConnection[]>('/api/provider-connections'),
      api.get<AudioItem[]>('/api/audio?kind=campaign-message'),
      api.get<AudioItem[]>('/api/audio?kind=ivr-prompt'),
      api.get<Queue[]>('/api/queues'),
      api.get<TenantMember[]>('/api/tenants/me/members'),
      api.get<string[]>('/api/audio/languages'),
    ]);
    if (serial !== this.loadSerial) {
      return;
    }
    const failures: unknown[] = [];
    const value = <T>(result: PromiseSettledResult<T>, fallback: T): T => {
      if (result.status === 'fulfilled') {
        return result.value ?? fallback;
      }
      failures.push(result.reason);
      return fallback;
    };
    this.connections = value(connections, []);
    this.messageAudio = value(messages, []);
    this.promptAudio = value(prompts, []);
    this.queues = value(queues, []);
    this.languages = value(languages, []);
    // Without the members list a transfer's user is typed as an id instead, which is no failure worth a word.
    this.members = members.status === 'fulfilled' ? (members.value ?? []) : null;
    this.optionsError = failures.length > 0 ? this.t('campaigns.optionsFailed', { detail: this.errorText(failures[0]) }) : '';
    if (!this.speechLanguage || !this.languages.includes(this.speechLanguage)) {
      this.speechLanguage = this.preferredLanguage();
    }
  }

  /** The speech language closest to the page's: the same tag, else the same language, else the first offered. */
  private preferredLanguage(): string {
    const page = this.language.toLowerCase();
    return (
      this.languages.find((language) => language.toLowerCase() === page) ??
      this.languages.find((language) => language.toLowerCase().split('-')[0] === page.split('-')[0]) ??
      this.languages[0] ??
      ''
    );
  }

  /** Opens the form on a stored campaign, or on a new one. */
  edit(campaign: CampaignDetails | null): void {
    this.draft = campaign ? draftOfCampaign(campaign) : newCampaignDraft(browserZone());
    this.fieldErrors = {};
    this.formError = '';
    this.saved = false;
    this.audioError = '';
    this.audioCreated = '';
    this.audioUse = 'message';
  }

  private closeForm(): void {
    this.draft = null;
    this.fieldErrors = {};
    this.formError = '';
    this.saved = false;
  }

  private clearErrors(fields: string[]): void {
    const remaining = { ...this.fieldErrors };
    for (const field of fields) {
      delete remaining[field];
    }
    this.fieldErrors = remaining;
  }

  private change(patch: Partial<CampaignDraft>, fields: string[] = Object.keys(patch)): void {
    if (!this.draft) {
      return;
    }
    this.draft = { ...this.draft, ...patch };
    this.saved = false;
    this.clearErrors(fields);
  }

  private changeIvr(patch: Partial<IvrDraft>, fields: string[]): void {
    if (!this.draft) {
      return;
    }
    this.change({ ivr: { ...this.draft.ivr, ...patch } }, fields);
  }

  private changeOption(key: IvrKey, patch: Partial<IvrOptionDraft>): void {
    if (!this.draft) {
      return;
    }
    const options = { ...this.draft.ivr.options, [key]: { ...this.draft.ivr.options[key], ...patch } };
    this.changeIvr({ options }, ['ivr.options', `ivr.options.${keyName(key)}`]);
  }

  private toggleDay(day: Day, on: boolean): void {
    if (!this.draft) {
      return;
    }
    const days = on ? [...new Set([...this.draft.days, day])] : this.draft.days.filter((other) => other !== day);
    this.change({ days: DAYS.filter((candidate) => days.includes(candidate)) }, ['window.days']);
  }

  /** Creates or changes the campaign in the form; resolves with the saved one, or `null` when refused. */
  async save(event?: Event): Promise<CampaignDetails | null> {
    event?.preventDefault();
    const draft = this.draft;
    if (!draft || this.saving) {
      return null;
    }
    this.formError = '';
    this.saved = false;
    const connection = this.connections.find((candidate) => candidate.id === draft.connectionId);
    const limit = channelLimitOf(connection);
    const invalid = validateCampaignDraft(draft, limit);
    if (Object.keys(invalid).length > 0) {
      this.fieldErrors = Object.fromEntries(Object.entries(invalid).map(([field, key]) => [field, this.t(key, { limit: limit ?? '' })]));
      this.formError = this.t('ext.invalidForm');
      return null;
    }
    this.saving = true;
    try {
      const body = campaignRequest(draft);
      const saved = draft.id
        ? await this.api.put<CampaignDetails>(`/api/campaigns/${encodeURIComponent(draft.id)}`, body)
        : await this.api.post<CampaignDetails>('/api/campaigns', body);
      this.replace(saved);
      if (this.draft === draft || this.draft?.id === draft.id) {
        this.draft = draftOfCampaign(saved);
      }
      this.fieldErrors = {};
      this.saved = true;
      this.emit('voxdesk-campaign-saved', saved);
      return saved;
    } catch (error) {
      this.showError(error);
      return null;
    } finally {
      this.saving = false;
    }
  }

  private showError(error: unknown): void {
    if (error instanceof ApiError && error.errors.length > 0) {
      this.fieldErrors = Object.fromEntries(error.errors.map(({ field, message }) => [campaignErrorField(field), message]));
      this.formError = error.detail || this.t('ext.invalidForm');
      return;
    }
    const field = error instanceof ApiError && (error.status === 400 || error.status === 422) ? fieldOfRefusal(error.title) : undefined;
    this.fieldErrors = field && error instanceof ApiError ? { [field]: error.detail || error.title } : {};
    this.formError = this.errorText(error);
  }

  /** Puts a saved or moved campaign in the list, in its place, or first when new. */
  private replace(campaign: CampaignDetails): void {
    const index = this.campaigns.findIndex((other) => other.id === campaign.id);
    this.campaigns = index < 0 ? [campaign, ...this.campaigns] : this.campaigns.map((other) => (other.id === campaign.id ? campaign : other));
  }

  /** Starts, pauses, resumes, cancels or deletes a campaign; a refusal shows next to it. */
  async act(id: string, action: CampaignAction): Promise<void> {
    if (this.busy) {
      return;
    }
    this.busy = { id, action };
    this.confirming = null;
    const { [id]: _cleared, ...others } = this.itemErrors;
    this.itemErrors = others;
    const path = `/api/campaigns/${encodeURIComponent(id)}`;
    try {
      if (action === 'delete') {
        await this.api.delete(path);
        this.campaigns = this.campaigns.filter((campaign) => campaign.id !== id);
        if (this.draft?.id === id) {
          this.closeForm();
        }
        this.emit('voxdesk-campaign-deleted', { id });
      } else {
        const moved = await this.api.post<CampaignDetails>(`${path}/${action}`);
        this.replace(moved);
        if (this.draft?.id === id) {
          // The form keeps what is being typed; only what the state allows changes with it.
          this.draft = { ...this.draft, state: moved.state };
        }
        this.emit('voxdesk-campaign-state', moved);
      }
    } catch (error) {
      this.itemErrors = { ...this.itemErrors, [id]: this.errorText(error) };
    } finally {
      this.busy = null;
    }
  }

  /** Fetches the attempts (CSV) or the report (PDF) with the token and hands it to the browser as a file. */
  async download(id: string, kind: CampaignDownload): Promise<void> {
    const token = `${id}:${kind}`;
    if (this.downloading.has(token)) {
      return;
    }
    this.downloading = new Set([...this.downloading, token]);
    const path = `/api/campaigns/${encodeURIComponent(id)}/${kind === 'csv' ? 'attempts.csv' : 'report.pdf'}`;
    try {
      const blob = await this.api.blob(path);
      if (this.isConnected) {
        this.saveFile(blob, `campaign-${id}-${kind === 'csv' ? 'attempts.csv' : 'report.pdf'}`);
      }
    } catch (error) {
      this.itemErrors = { ...this.itemErrors, [id]: this.t('campaign.download.failed', { detail: this.errorText(error) }) };
    } finally {
      const remaining = new Set(this.downloading);
      remaining.delete(token);
      this.downloading = remaining;
    }
  }

  /** A bare link could not carry the bearer token, so the file goes through an object URL and a `download` link. */
  private saveFile(blob: Blob, filename: string): void {
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.hidden = true;
    this.renderRoot.appendChild(link);
    link.click();
    link.remove();
    this.objectUrls.set(
      url,
      setTimeout(() => {
        this.objectUrls.delete(url);
        URL.revokeObjectURL(url);
      }, DOWNLOAD_URL_LIFETIME_MS),
    );
  }

  /** Synthesises the typed text into the library and chooses it. */
  async speak(): Promise<AudioItem | null> {
    const text = this.speechText.trim();
    if (!text) {
      this.audioError = this.t('audio.needText');
      return null;
    }
    const body: SpeechRequest = { kind: this.audioKind(), text, language: this.speechLanguage || this.preferredLanguage() };
    if (this.speechName.trim()) {
      body.name = this.speechName.trim();
    }
    return this.addAudio('speech', () => this.api.post<AudioItem>('/api/audio/speech', body));
  }

  /** Uploads the chosen file into the library and chooses it. */
  async upload(): Promise<AudioItem | null> {
    const file = this.file;
    if (!file) {
      this.audioError = this.t('audio.needFile');
      return null;
    }
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('kind', this.audioKind());
    if (this.uploadName.trim()) {
      form.append('name', this.uploadName.trim());
    }
    return this.addAudio('upload', () => this.api.postForm<AudioItem>('/api/audio', form));
  }

  /** The menu prompt only while the menu is on: a prompt chosen for a menu turned off would go nowhere visible. */
  private get effectiveAudioUse(): AudioUse {
    return this.audioUse === 'prompt' && this.draft?.ivrEnabled ? 'prompt' : 'message';
  }

  private audioKind(): AudioKind {
    return this.effectiveAudioUse === 'prompt' ? 'ivr-prompt' : 'campaign-message';
  }

  private async addAudio(how: 'speech' | 'upload', request: () => Promise<AudioItem>): Promise<AudioItem | null> {
    if (this.audioBusy) {
      return null;
    }
    this.audioBusy = how;
    this.audioError = '';
    this.audioCreated = '';
    const use = this.effectiveAudioUse;
    try {
      const item = await request();
      if (use === 'prompt') {
        this.promptAudio = withAudio(this.promptAudio, item);
        if (this.draft) {
          this.changeIvr({ promptAudioId: item.id }, ['ivr.promptAudioId']);
        }
      } else {
        this.messageAudio = withAudio(this.messageAudio, item);
        this.change({ messageAudioId: item.id });
      }
      this.audioCreated = this.t('audio.created', { name: item.name });
      if (how === 'speech') {
        this.speechText = '';
        this.speechName = '';
      } else {
        this.file = null;
        this.uploadName = '';
        const input = this.renderRoot.querySelector<HTMLInputElement>('#audio-file');
        if (input) {
          input.value = '';
        }
      }
      return item;
    } catch (error) {
      this.audioError = this.errorText(error);
      return null;
    } finally {
      this.audioBusy = null;
    }
  }

  private stateText(state: string): string {
    const key = `campaign.state.${state}`;
    return isMessageKey(key) ? this.t(key) : state;
  }

  private kindText(kind: string): string {
    const key = `prov.kind.${kind.toLowerCase()}`;
    return isMessageKey(key) ? this.t(key) : kind;
  }

  private fieldError(name: string) {
    const error = this.fieldErrors[name];
    return error ? html`<p class="field-error" id=${`err-${name}`} data-testid=${`field-error-${name}`}>${error}</p>` : nothing;
  }

  /** `aria-invalid` and `aria-describedby` of a control whose field may carry an error. */
  private invalid(name: string): { invalid: string; describedBy: string } {
    const error = !!this.fieldErrors[name];
    return { invalid: error ? 'true' : 'false', describedBy: error ? `err-${name}` : '' };
  }

  protected override render() {
    if (!this.effectiveTokenProvider) {
      return html`<p class="hint">${this.t('common.notSignedIn')}</p>`;
    }
    if (this.forbidden !== null) {
      return html`<p class="error" role="alert" data-testid="campaigns-forbidden">${this.forbidden || this.t('campaigns.adminOnly')}</p>`;
    }
    return html`
      <div class="wrap">
        <section class="card" aria-labelledby="campaigns-title" data-testid="campaigns" aria-busy=${this.loading ? 'true' : 'false'}>
          <h2 id="campaigns-title">${this.t('campaigns.title')}</h2>
          ${this.listError ? html`<p class="error" role="alert" data-testid="campaigns-error">${this.listError}</p>` : nothing}
          ${this.loading && this.campaigns.length === 0 ? html`<p class="hint">${this.t('common.loading')}</p>` : nothing}
          ${!this.loading && !this.listError && this.campaigns.length === 0
            ? html`<p class="hint" data-testid="campaigns-empty">${this.t('campaigns.empty')}</p>`
            : nothing}
          <ul class="campaigns" data-testid="campaigns-list">
            ${this.campaigns.map((campaign) => this.renderCampaign(campaign))}
          </ul>
          <div class="row" style="margin-top: 8px">
            <button type="button" class="primary" data-testid="campaigns-new" @click=${() => this.edit(null)}>${this.t('campaigns.new')}</button>
            <button type="button" data-testid="campaigns-refresh" ?disabled=${this.loading} @click=${() => void this.reload()}>
              ${this.t('campaigns.refresh')}
            </button>
          </div>
        </section>
        ${this.draft ? this.renderForm(this.draft) : nothing}
      </div>
    `;
  }

  private renderCampaign(campaign: CampaignDetails) {
    const actions = campaignActions(campaign.state);
    const started = !['draft', 'scheduled'].includes(campaign.state);
    const busy = this.busy?.id === campaign.id;
    const confirming = this.confirming?.id === campaign.id ? this.confirming : null;
    const error = this.itemErrors[campaign.id];
    return html`
      <li data-testid="campaign-item" data-id=${campaign.id} data-state=${campaign.state} aria-current=${this.draft?.id === campaign.id ? 'true' : 'false'}>
        <div class="top">
          <span class="name">${campaign.name}</span>
          <span class="state" data-testid="campaign-state" data-state=${campaign.state}>${this.stateText(campaign.state)}</span>
        </div>
        <p class="hint" style="margin: 0">
          ${campaign.state === 'draft' || campaign.state === 'scheduled'
            ? this.t('campaigns.summaryDraft', { concurrency: campaign.concurrency })
            : this.t('campaigns.summary', { contacts: campaign.totalContacts ?? 0, concurrency: campaign.concurrency })}
        </p>
        ${campaign.dialerNote
          ? html`<p class="hint" style="margin: 0" data-testid="campaign-dialer-note">${this.t('campaign.dialerNote', { note: campaign.dialerNote })}</p>`
          : nothing}
        <div class="row">
          ${isEditable(campaign.state)
            ? html`<button type="button" data-testid="campaign-edit" aria-label=${`${this.t('common.edit')}: ${campaign.name}`}
                @click=${() => this.edit(campaign)}>${this.t('common.edit')}</button>`
            : nothing}
          ${actions.map((action) => this.renderAction(campaign, action, busy))}
          ${started
            ? html`
                <button type="button" data-testid="campaign-monitor" @click=${() =>
                  this.emit('voxdesk-campaign-selected', { id: campaign.id, name: campaign.name, state: campaign.state })}>
                  ${this.t('campaign.action.monitor')}
                </button>
                ${this.renderDownload(campaign, 'csv')} ${this.renderDownload(campaign, 'pdf')}
              `
            : nothing}
        </div>
        ${confirming
          ? html`<div class="confirm" role="alert" data-testid="campaign-confirm-question">
              <p style="margin: 0 0 6px">${this.t(`campaign.confirm.${confirming.action}`, { name: campaign.name })}</p>
              <div class="row">
                <button type="button" class="danger" data-testid="campaign-confirm" @click=${() => void this.act(campaign.id, confirming.action)}>
                  ${this.t('campaign.confirm.yes')}
                </button>
                <button type="button" data-testid="campaign-confirm-no" @click=${() => (this.confirming = null)}>${this.t('campaign.confirm.no')}</button>
              </div>
            </div>`
          : nothing}
        ${error ? html`<p class="error" role="alert" data-testid="campaign-item-error">${error}</p>` : nothing}
      </li>
    `;
  }

  private renderAction(campaign: CampaignDetails, action: CampaignAction, busy: boolean) {
    const working = busy && this.busy?.action === action;
    // One action at a time: the list shows each answer, and a second click would race the first.
    // Cancelling and deleting cannot be undone: they ask first.
    const click = action === 'cancel' || action === 'delete' ? () => (this.confirming = { id: campaign.id, action }) : () => void this.act(campaign.id, action);
    return html`<button type="button" data-testid=${`campaign-${action}`} class=${action === 'start' || action === 'resume' ? 'ok' : ''}
      ?disabled=${this.busy !== null} aria-busy=${working ? 'true' : 'false'} @click=${click}>
      ${working ? this.t('campaign.action.working') : this.t(`campaign.action.${action}`)}
    </button>`;
  }

  private renderDownload(campaign: CampaignDetails, kind: CampaignDownload) {
    const busy = this.downloading.has(`${campaign.id}:${kind}`);
    return html`<button type="button" data-testid=${`campaign-download-${kind}`} ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'}
      @click=${() => void this.download(campaign.id, kind)}>
      ${busy ? this.t('campaign.download.busy') : this.t(`campaign.download.${kind}`)}
    </button>`;
  }

  private renderForm(draft: CampaignDraft) {
    const fixed = onlyWindowEditable(draft.state);
    const name = this.invalid('name');
    const connection = this.invalid('connectionId');
    const callerId = this.invalid('callerId');
    const message = this.invalid('messageAudioId');
    const concurrency = this.invalid('concurrency');
    const zone = this.invalid('window.timeZone');
    return html`
      <form class="card" data-testid="campaign-form" novalidate @submit=${(event: Event) => void this.save(event)}>
        <h2>${draft.id ? this.t('campaign.form.editing', { name: draft.name }) : this.t('campaign.form.creating')}</h2>
        ${fixed ? html`<p class="hint" data-testid="campaign-started-hint">${this.t('campaign.form.startedHint')}</p>` : nothing}
        ${this.optionsError ? html`<p class="error" role="alert">${this.optionsError}</p>` : nothing}

        <label for="f-name">${this.t('campaign.field.name')}</label>
        <input id="f-name" data-testid="campaign-name" maxlength="120" autocomplete="off" required ?disabled=${fixed}
          aria-invalid=${name.invalid} aria-describedby=${name.describedBy}
          .value=${draft.name} @input=${(event: Event) => this.change({ name: (event.target as HTMLInputElement).value })} />
        ${this.fieldError('name')}

        <label for="f-connection">${this.t('campaign.field.connection')}</label>
        <select id="f-connection" data-testid="campaign-connectionId" ?disabled=${fixed} aria-invalid=${connection.invalid} aria-describedby=${connection.describedBy}
          @change=${(event: Event) => this.change({ connectionId: (event.target as HTMLSelectElement).value }, ['connectionId', 'concurrency'])}>
          <option value="" ?selected=${!draft.connectionId}>${this.t('campaign.field.connectionNone')}</option>
          ${this.connections.map((item) => {
            const label = `${item.name} · ${this.kindText(item.kind)}`;
            return html`<option value=${item.id} ?selected=${draft.connectionId === item.id}>
              ${item.enabled ? label : this.t('campaign.field.connectionDisabled', { name: label })}
            </option>`;
          })}
        </select>
        ${this.fieldError('connectionId')}

        <label for="f-caller">${this.t('campaign.field.callerId')}</label>
        <input id="f-caller" data-testid="campaign-callerId" inputmode="tel" autocomplete="off" maxlength="30" ?disabled=${fixed}
          aria-invalid=${callerId.invalid} aria-describedby=${callerId.describedBy}
          .value=${draft.callerId} @input=${(event: Event) => this.change({ callerId: (event.target as HTMLInputElement).value })} />
        ${this.fieldError('callerId')}

        <label for="f-message">${this.t('campaign.field.message')}</label>
        <select id="f-message" data-testid="campaign-messageAudioId" ?disabled=${fixed} aria-invalid=${message.invalid} aria-describedby=${message.describedBy}
          @change=${(event: Event) => this.change({ messageAudioId: (event.target as HTMLSelectElement).value })}>
          <option value="" ?selected=${!draft.messageAudioId}>${this.t('campaign.field.messageNone')}</option>
          ${this.audioOptions(this.messageAudio, draft.messageAudioId)}
        </select>
        ${this.fieldError('messageAudioId')}
        ${fixed ? nothing : this.renderAudio(draft)}

        <fieldset>
          <legend>${this.t('campaign.field.contacts')}</legend>
          <label for="f-tags">${this.t('campaign.field.tags')}</label>
          <input id="f-tags" data-testid="campaign-tags" autocomplete="off" ?disabled=${fixed}
            aria-invalid=${this.invalid('contacts.tags').invalid} aria-describedby=${this.invalid('contacts.tags').describedBy}
            .value=${draft.tags} @input=${(event: Event) => this.change({ tags: (event.target as HTMLInputElement).value }, ['contacts', 'contacts.tags'])} />
          ${this.fieldError('contacts.tags')}
          <label for="f-query">${this.t('campaign.field.query')}</label>
          <input id="f-query" data-testid="campaign-query" autocomplete="off" maxlength="200" ?disabled=${fixed}
            aria-invalid=${this.invalid('contacts.query').invalid} aria-describedby=${this.invalid('contacts.query').describedBy}
            .value=${draft.query} @input=${(event: Event) => this.change({ query: (event.target as HTMLInputElement).value }, ['contacts', 'contacts.query'])} />
          ${this.fieldError('contacts.query')} ${this.fieldError('contacts')}
        </fieldset>

        <label for="f-concurrency">${this.t('campaign.field.concurrency')}</label>
        <input id="f-concurrency" data-testid="campaign-concurrency" type="number" min="1" max="1000" step="1" inputmode="numeric"
          aria-invalid=${concurrency.invalid} aria-describedby=${concurrency.describedBy}
          .value=${draft.concurrency} @input=${(event: Event) => this.change({ concurrency: (event.target as HTMLInputElement).value })} />
        ${this.fieldError('concurrency')}

        <fieldset>
          <legend>${this.t('campaign.field.window')}</legend>
          <div role="group" aria-labelledby="days-label" aria-describedby=${this.invalid('window.days').describedBy}>
            <p id="days-label" class="hint">${this.t('campaign.field.days')}</p>
            <div class="days">
              ${DAYS.map(
                (day) => html`<label class="check">
                  <input type="checkbox" data-testid=${`campaign-day-${day}`} .checked=${draft.days.includes(day)}
                    @change=${(event: Event) => this.toggleDay(day, (event.target as HTMLInputElement).checked)} />
                  ${this.t(`campaign.day.${day}`)}
                </label>`,
              )}
            </div>
          </div>
          ${this.fieldError('window.days')}
          <div class="pair">
            <div>
              <label for="f-from">${this.t('campaign.field.from')}</label>
              <input id="f-from" type="time" data-testid="campaign-from" aria-invalid=${this.invalid('window.from').invalid}
                aria-describedby=${this.invalid('window.from').describedBy}
                .value=${draft.from} @input=${(event: Event) => this.change({ from: (event.target as HTMLInputElement).value }, ['window.from', 'window.until'])} />
              ${this.fieldError('window.from')}
            </div>
            <div>
              <label for="f-until">${this.t('campaign.field.until')}</label>
              <input id="f-until" type="time" data-testid="campaign-until" aria-invalid=${this.invalid('window.until').invalid}
                aria-describedby=${this.invalid('window.until').describedBy}
                .value=${draft.until} @input=${(event: Event) => this.change({ until: (event.target as HTMLInputElement).value }, ['window.until'])} />
              ${this.fieldError('window.until')}
            </div>
          </div>
          <label for="f-zone">${this.t('campaign.field.timeZone')}</label>
          <input id="f-zone" data-testid="campaign-timeZone" list="zones" autocomplete="off" aria-invalid=${zone.invalid} aria-describedby=${zone.describedBy}
            .value=${draft.timeZone} @input=${(event: Event) => this.change({ timeZone: (event.target as HTMLInputElement).value }, ['window.timeZone'])} />
          <datalist id="zones">${ZONES.map((candidate) => html`<option value=${candidate}></option>`)}</datalist>
          ${this.fieldError('window.timeZone')}
        </fieldset>

        <label for="f-machines">${this.t('campaign.field.machines')}</label>
        <select id="f-machines" data-testid="campaign-machines" ?disabled=${fixed}
          @change=${(event: Event) => this.change({ machines: (event.target as HTMLSelectElement).value === 'leave-message' ? 'leave-message' : 'hang-up' })}>
          ${(['hang-up', 'leave-message'] as const).map(
            (handling) => html`<option value=${handling} ?selected=${draft.machines === handling}>${this.t(`campaign.machines.${handling}`)}</option>`,
          )}
        </select>
        ${this.fieldError('machines')}

        <label class="check" style="margin-top: 14px">
          <input type="checkbox" data-testid="campaign-ivr" ?disabled=${fixed} .checked=${draft.ivrEnabled}
            @change=${(event: Event) => this.change({ ivrEnabled: (event.target as HTMLInputElement).checked }, [])} />
          ${this.t('campaign.ivr.enabled')}
        </label>
        ${draft.ivrEnabled ? this.renderIvr(draft.ivr, fixed) : nothing}

        ${this.fieldError('retries')}
        ${this.formError ? html`<p class="error" role="alert" data-testid="campaign-error">${this.formError}</p>` : nothing}
        ${this.saved ? html`<p class="ok-text" role="status" data-testid="campaign-saved">${this.t('campaign.saved')}</p>` : nothing}
        <div class="row" style="margin-top: 12px">
          <button class="primary" type="submit" data-testid="campaign-save" ?disabled=${this.saving} aria-busy=${this.saving ? 'true' : 'false'}>
            ${this.saving ? this.t('common.saving') : this.t('common.save')}
          </button>
          <button type="button" data-testid="campaign-form-close" @click=${() => this.closeForm()}>${this.t('common.close')}</button>
        </div>
      </form>
    `;
  }

  private audioOptions(items: readonly AudioItem[], selected: string) {
    // A stored campaign may name audio the list does not hold (another kind, or a failed load): keep it choosable.
    const missing = selected && !items.some((item) => item.id === selected);
    return html`
      ${missing ? html`<option value=${selected} selected>${selected}</option>` : nothing}
      ${items.map((item) => html`<option value=${item.id} ?selected=${item.id === selected}>${item.name}</option>`)}
    `;
  }

  private renderAudio(draft: CampaignDraft) {
    const busy = this.audioBusy !== null;
    return html`
      <fieldset class="audio" data-testid="audio-panel">
        <legend>${this.t('audio.title')}</legend>
        ${draft.ivrEnabled
          ? html`
              <label for="audio-use">${this.t('audio.useFor')}</label>
              <select id="audio-use" data-testid="audio-use" @change=${(event: Event) =>
                (this.audioUse = (event.target as HTMLSelectElement).value === 'prompt' ? 'prompt' : 'message')}>
                <option value="message" ?selected=${this.audioUse === 'message'}>${this.t('audio.useFor.message')}</option>
                <option value="prompt" ?selected=${this.audioUse === 'prompt'}>${this.t('audio.useFor.prompt')}</option>
              </select>
            `
          : nothing}
        <label for="audio-text">${this.t('audio.speechText')}</label>
        <textarea id="audio-text" data-testid="audio-speech-text" maxlength="5000" .value=${this.speechText}
          @input=${(event: Event) => (this.speechText = (event.target as HTMLTextAreaElement).value)}></textarea>
        <div class="pair">
          <div>
            <label for="audio-language">${this.t('audio.language')}</label>
            <select id="audio-language" data-testid="audio-speech-language"
              @change=${(event: Event) => (this.speechLanguage = (event.target as HTMLSelectElement).value)}>
              ${this.languages.map((language) => html`<option value=${language} ?selected=${language === this.speechLanguage}>${language}</option>`)}
            </select>
          </div>
          <div>
            <label for="audio-name">${this.t('audio.name')} <span class="hint">(${this.t('common.optional')})</span></label>
            <input id="audio-name" data-testid="audio-speech-name" maxlength="200" autocomplete="off" .value=${this.speechName}
              @input=${(event: Event) => (this.speechName = (event.target as HTMLInputElement).value)} />
          </div>
        </div>
        <div class="row" style="margin-top: 8px">
          <button type="button" data-testid="audio-speech-create" ?disabled=${busy} aria-busy=${this.audioBusy === 'speech' ? 'true' : 'false'}
            @click=${() => void this.speak()}>
            ${this.audioBusy === 'speech' ? this.t('audio.speaking') : this.t('audio.speak')}
          </button>
        </div>
        <label for="audio-file">${this.t('audio.file')}</label>
        <input id="audio-file" type="file" data-testid="audio-file" accept=".wav,.mp3,.gsm,audio/*"
          @change=${(event: Event) => (this.file = (event.target as HTMLInputElement).files?.[0] ?? null)} />
        <div class="pair">
          <div>
            <label for="audio-upload-name">${this.t('audio.name')} <span class="hint">(${this.t('common.optional')})</span></label>
            <input id="audio-upload-name" data-testid="audio-upload-name" maxlength="200" autocomplete="off" .value=${this.uploadName}
              @input=${(event: Event) => (this.uploadName = (event.target as HTMLInputElement).value)} />
          </div>
        </div>
        <div class="row" style="margin-top: 8px">
          <button type="button" data-testid="audio-upload" ?disabled=${busy} aria-busy=${this.audioBusy === 'upload' ? 'true' : 'false'}
            @click=${() => void this.upload()}>
            ${this.audioBusy === 'upload' ? this.t('audio.uploading') : this.t('audio.upload')}
          </button>
        </div>
        <div role="status" aria-live="polite">
          ${this.audioCreated ? html`<p class="ok-text" data-testid="audio-created">${this.audioCreated}</p>` : nothing}
        </div>
        ${this.audioError ? html`<p class="error" role="alert" data-testid="audio-error">${this.audioError}</p>` : nothing}
      </fieldset>
    `;
  }

  private renderIvr(ivr: IvrDraft, fixed: boolean) {
    const audioSelect = (field: 'promptAudioId' | 'invalidAudioId' | 'timeoutAudioId', label: MessageKey) => {
      const name = `ivr.${field}`;
      const state = this.invalid(name);
      return html`
        <label for=${`f-${field}`}>${this.t(label)} <span class="hint">(${this.t('common.optional')})</span></label>
        <select id=${`f-${field}`} data-testid=${`ivr-${field}`} ?disabled=${fixed} aria-invalid=${state.invalid} aria-describedby=${state.describedBy}
          @change=${(event: Event) => this.changeIvr({ [field]: (event.target as HTMLSelectElement).value }, [name])}>
          <option value="" ?selected=${!ivr[field]}>${this.t('campaign.field.audioNone')}</option>
          ${this.audioOptions(this.promptAudio, ivr[field])}
        </select>
        ${this.fieldError(name)}
      `;
    };
    return html`
      <fieldset data-testid="ivr-editor">
        <legend>${this.t('campaign.ivr.enabled')}</legend>
        ${audioSelect('promptAudioId', 'campaign.ivr.prompt')}
        <div class="pair">
          <div>
            <label for="f-timeout">${this.t('campaign.ivr.timeoutSeconds')}</label>
            <input id="f-timeout" data-testid="ivr-timeoutSeconds" type="number" min="1" max="30" inputmode="numeric" ?disabled=${fixed}
              aria-invalid=${this.invalid('ivr.timeoutSeconds').invalid} aria-describedby=${this.invalid('ivr.timeoutSeconds').describedBy}
              .value=${ivr.timeoutSeconds} @input=${(event: Event) => this.changeIvr({ timeoutSeconds: (event.target as HTMLInputElement).value }, ['ivr.timeoutSeconds'])} />
            ${this.fieldError('ivr.timeoutSeconds')}
          </div>
          <div>
            <label for="f-max-invalid">${this.t('campaign.ivr.maxInvalid')}</label>
            <input id="f-max-invalid" data-testid="ivr-maxInvalid" type="number" min="1" max="5" inputmode="numeric" ?disabled=${fixed}
              aria-invalid=${this.invalid('ivr.maxInvalid').invalid} aria-describedby=${this.invalid('ivr.maxInvalid').describedBy}
              .value=${ivr.maxInvalid} @input=${(event: Event) => this.changeIvr({ maxInvalid: (event.target as HTMLInputElement).value }, ['ivr.maxInvalid'])} />
            ${this.fieldError('ivr.maxInvalid')}
          </div>
        </div>
        ${audioSelect('invalidAudioId', 'campaign.ivr.invalidAudio')} ${audioSelect('timeoutAudioId', 'campaign.ivr.timeoutAudio')}
        <p class="hint" id="keys-title" style="margin-top: 10px; font-weight: 600">${this.t('campaign.ivr.keys')}</p>
        ${this.fieldError('ivr.options')}
        <div class="keys" role="group" aria-labelledby="keys-title">${IVR_KEYS.map((key) => this.renderKey(key, ivr.options[key], fixed))}</div>
      </fieldset>
    `;
  }

  private renderKey(key: IvrKey, option: IvrOptionDraft, fixed: boolean) {
    const id = `ivr-key-${keyName(key)}`;
    const field = `ivr.options.${keyName(key)}`;
    const state = this.invalid(field);
    return html`
      <div class="key" data-testid=${`${id}-row`}>
        <label class="keyname" for=${id}>${this.t('campaign.ivr.key', { key })}</label>
        <select id=${id} data-testid=${id} ?disabled=${fixed} aria-invalid=${state.invalid} aria-describedby=${state.describedBy}
          @change=${(event: Event) => this.changeOption(key, { action: (event.target as HTMLSelectElement).value as IvrAction | '' })}>
          <option value="" ?selected=${!option.action}>${this.t('campaign.ivr.action.none')}</option>
          ${IVR_ACTIONS.map((action) => html`<option value=${action} ?selected=${option.action === action}>${this.t(`campaign.ivr.action.${action}`)}</option>`)}
        </select>
        <span>${this.renderKeyTarget(key, option, fixed)}</span>
        ${this.fieldError(field)}
      </div>
    `;
  }

  /** The one thing a key's action needs besides itself: the confirmation's audio, the queue, or the user. */
  private renderKeyTarget(key: IvrKey, option: IvrOptionDraft, fixed: boolean) {
    const id = `ivr-key-${keyName(key)}`;
    switch (option.action) {
      case 'opt-out':
        return html`<select data-testid=${`${id}-audio`} ?disabled=${fixed} aria-label=${this.t('campaign.ivr.optOutAudio', { key })}
          @change=${(event: Event) => this.changeOption(key, { audioId: (event.target as HTMLSelectElement).value })}>
          <option value="" ?selected=${!option.audioId}>${this.t('campaign.ivr.optOutAudioNone')}</option>
          ${this.audioOptions(this.promptAudio, option.audioId)}
        </select>`;
      case 'transfer-to-queue':
        return html`<select data-testid=${`${id}-queue`} ?disabled=${fixed} aria-label=${this.t('campaign.ivr.queue', { key })}
          @change=${(event: Event) => this.changeOption(key, { queueId: (event.target as HTMLSelectElement).value })}>
          <option value="" ?selected=${!option.queueId}>${this.t('campaign.ivr.queueNone')}</option>
          ${option.queueId && !this.queues.some((queue) => queue.id === option.queueId)
            ? html`<option value=${option.queueId} selected>${option.queueId}</option>`
            : nothing}
          ${this.queues.map((queue) => html`<option value=${queue.id} ?selected=${queue.id === option.queueId}>${queue.name}</option>`)}
        </select>`;
      case 'transfer-to-user':
        if (this.members === null) {
          return html`<input data-testid=${`${id}-user`} autocomplete="off" ?disabled=${fixed} aria-label=${this.t('campaign.ivr.userId', { key })}
            .value=${option.userId} @input=${(event: Event) => this.changeOption(key, { userId: (event.target as HTMLInputElement).value })} />`;
        }
        return html`<select data-testid=${`${id}-user`} ?disabled=${fixed} aria-label=${this.t('campaign.ivr.user', { key })}
          @change=${(event: Event) => this.changeOption(key, { userId: (event.target as HTMLSelectElement).value })}>
          <option value="" ?selected=${!option.userId}>${this.t('campaign.ivr.userNone')}</option>
          ${option.userId && !this.members.some((member) => member.id === option.userId)
            ? html`<option value=${option.userId} selected>${option.userId}</option>`
            : nothing}
          ${this.members.map((member) => html`<option value=${member.id} ?selected=${member.id === option.userId}>${member.username}</option>`)}
        </select>`;
      default:
        return nothing;
    }
  }
}
