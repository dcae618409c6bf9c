import { html, css, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { ApiError } from '../api/client';
import type { ConnectionCheck, ProviderConnection, ProviderConnectionRequest, ProviderKind } from '../api/types';
import type { MessageKey } from '../i18n';
import { VoxdeskElement } from './base';
import { baseStyles } from './styles';

/** One setting of a provider kind, as the form shows it. */
interface SettingField {
  name: string;
  type: 'url' | 'text' | 'number' | 'checkbox';
  required?: boolean;
  placeholder?: string;
  initial?: string;
}

/** The settings each kind accepts (see the connectors' `validate`), in form order. */
export const PROVIDER_SETTINGS: Record<ProviderKind, SettingField[]> = {
  asterisk: [
    { name: 'baseUrl', type: 'url', required: true, placeholder: 'http://pbx.example.com:8088' },
    { name: 'username', type: 'text', required: true, placeholder: 'voxdesk' },
    { name: 'application', type: 'text', required: true, initial: 'voxdesk' },
    { name: 'agentEndpoint', type: 'text', required: true, initial: 'PJSIP/{extension}' },
    { name: 'outboundEndpoint', type: 'text', required: true, initial: 'PJSIP/{number}@trunk' },
    { name: 'recording', type: 'checkbox', initial: 'false' },
    { name: 'agentRingSeconds', type: 'number', placeholder: '30' },
    { name: 'customerRingSeconds', type: 'number', placeholder: '45' },
  ],
  api4com: [
    { name: 'baseUrl', type: 'url', placeholder: 'https://api.api4com.com/api/v1' },
    { name: 'recording', type: 'checkbox', initial: 'false' },
  ],
};

interface Draft {
  id: string | null;
  kind: ProviderKind;
  name: string;
  enabled: boolean;
  settings: Record<string, string>;
  secret: string;
  secretSet: boolean;
  dirty: boolean;
}

function kindOf(value: string): ProviderKind {
  return value.toLowerCase() === 'api4com' ? 'api4com' : 'asterisk';
}

function initialSettings(kind: ProviderKind): Record<string, string> {
  return Object.fromEntries(PROVIDER_SETTINGS[kind].filter((field) => field.initial !== undefined).map((field) => [field.name, field.initial!]));
}

function newDraft(kind: ProviderKind = 'asterisk'): Draft {
  return { id: null, kind, name: '', enabled: true, settings: initialSettings(kind), secret: '', secretSet: false, dirty: false };
}

function draftOf(connection: ProviderConnection): Draft {
  const kind = kindOf(connection.kind);
  return {
    id: connection.id,
    kind,
    name: connection.name,
    enabled: connection.enabled,
    settings: { ...(connection.settings ?? {}) },
    secret: '',
    secretSet: connection.secretSet,
    dirty: false,
  };
}

/** The field a server error names: `settings[baseUrl]` and `settings.baseUrl` both mean `baseUrl`. */
export function providerErrorField(field: string): string {
  const match = /^settings(?:\[([^\]]+)\]|\.(.+))$/.exec(field);
  return match ? (match[1] ?? match[2] ?? field) : field;
}

/** Field errors a connector's one-sentence refusal implies, e.g. "baseUrl is required: …". */
export function fieldsFromDetail(kind: ProviderKind, detail: string): Record<string, string> {
  const first = /^([A-Za-z]+)\b/.exec(detail.trim())?.[1];
  return first && PROVIDER_SETTINGS[kind].some((field) => field.name === first) ? { [first]: detail } : {};
}

/** Checks the draft the way the connectors will; returns each invalid field and what is wrong with it. */
export function validateProviderDraft(draft: Pick<Draft, 'kind' | 'name' | 'settings' | 'secret' | 'secretSet'>): Record<string, 'required' | 'url' | 'seconds'> {
  const errors: Record<string, 'required' | 'url' | 'seconds'> = {};
  if (!draft.name.trim()) {
    errors.name = 'required';
  }
  if (!draft.secret && !draft.secretSet) {
    errors.secret = 'required';
  }
  for (const field of PROVIDER_SETTINGS[draft.kind]) {
    const value = (draft.settings[field.name] ?? '').trim();
    if (field.required && !value) {
      errors[field.name] = 'required';
    } else if (value && field.type === 'url' && !/^https?:\/\/[^\s/]+/i.test(value)) {
      errors[field.name] = 'url';
    } else if (value && field.type === 'number' && !/^[1-9][0-9]{0,2}$/.test(value)) {
      errors[field.name] = 'seconds';
    }
  }
  return errors;
}

/** `<voxdesk-provider-settings>`: tenant admins list, create, edit and test provider connections. */
export class VoxdeskProviderSettingsElement extends VoxdeskElement {
  static override styles = [
    baseStyles,
    css`
      .wrap {
        display: grid;
        gap: 12px;
        max-width: 560px;
      }
      .connections {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 6px;
      }
      .connections > li {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 12px;
        align-items: center;
        justify-content: space-between;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 8px 10px;
      }
      .connections > li[aria-current='true'] {
        border-color: var(--_accent);
      }
      .name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .steps {
        margin: 6px 0 0;
        padding-left: 20px;
      }
      .result {
        margin-top: 10px;
        padding: 6px 10px;
        border-left: 4px solid var(--_danger);
      }
      .result[data-ok='true'] {
        border-color: var(--_ok);
      }
      .step-ok {
        color: var(--_ok);
      }
      .step-failed {
        color: var(--_danger);
      }
    `,
  ];

  @state() private connections: ProviderConnection[] = [];
  @state() private draft: Draft = newDraft();
  @state() private loading = false;
  @state() private saving = false;
  @state() private testing = false;
  @state() private forbidden = false;
  @state() private fieldErrors: Record<string, string> = {};
  @state() private formError = '';
  @state() private saved = false;
  @state() private check: ConnectionCheck | null = null;

  private loadSerial = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  protected override connectionSettingsChanged(): void {
    if (this.isConnected) {
      void this.load();
    }
  }

  /** Loads the connections and opens the first one (or a new one) in the form. */
  async load(): Promise<void> {
    if (!this.effectiveTokenProvider) {
      return;
    }
    const serial = ++this.loadSerial;
    this.loading = true;
    try {
      const connections = (await this.api.get<ProviderConnection[]>('/api/provider-connections')) ?? [];
      if (serial !== this.loadSerial) {
        return;
      }
      this.forbidden = false;
      this.connections = connections;
      const current = connections.find((connection) => connection.id === this.draft.id) ?? connections[0];
      if (!this.draft.dirty) {
        this.edit(current ?? null);
      }
    } catch (error) {
      if (serial === this.loadSerial) {
        this.forbidden = error instanceof ApiError && error.status === 403;
        this.formError = this.forbidden ? '' : this.errorText(error);
      }
    } finally {
      if (serial === this.loadSerial) {
        this.loading = false;
      }
    }
  }

  private edit(connection: ProviderConnection | null): void {
    this.draft = connection ? draftOf(connection) : newDraft();
    this.fieldErrors = {};
    this.formError = '';
    this.saved = false;
    this.check = null;
  }

  private change(patch: Partial<Draft>): void {
    this.draft = { ...this.draft, ...patch, dirty: true };
    this.saved = false;
    const cleared = { ...this.fieldErrors };
    for (const key of Object.keys(patch)) {
      delete cleared[key];
    }
    this.fieldErrors = cleared;
  }

  private changeSetting(name: string, value: string): void {
    this.draft = { ...this.draft, settings: { ...this.draft.settings, [name]: value }, dirty: true };
    this.saved = false;
    const { [name]: _removed, ...rest } = this.fieldErrors;
    this.fieldErrors = rest;
  }

  private changeKind(kind: ProviderKind): void {
    if (kind === this.draft.kind) {
      return;
    }
    const allowed = new Set(PROVIDER_SETTINGS[kind].map((field) => field.name));
    const kept = Object.fromEntries(Object.entries(this.draft.settings).filter(([name]) => allowed.has(name)));
    this.change({ kind, settings: { ...initialSettings(kind), ...kept } });
  }

  private request(): ProviderConnectionRequest {
    const draft = this.draft;
    const settings: Record<string, string> = {};
    for (const field of PROVIDER_SETTINGS[draft.kind]) {
      const value = (draft.settings[field.name] ?? '').trim();
      if (field.type === 'checkbox') {
        settings[field.name] = value === 'true' ? 'true' : 'false';
      } else if (value) {
        settings[field.name] = value;
      }
    }
    return {
      kind: draft.kind,
      name: draft.name.trim(),
      enabled: draft.enabled,
      settings,
      secret: draft.secret ? draft.secret : null,
    };
  }

  /** Creates or updates the connection in the form; resolves with the saved one, or `null` when refused. */
  async save(event?: Event): Promise<ProviderConnection | null> {
    event?.preventDefault();
    if (this.saving) {
      return null;
    }
    this.formError = '';
    this.saved = false;
    const invalid = validateProviderDraft(this.draft);
    if (Object.keys(invalid).length > 0) {
      this.fieldErrors = Object.fromEntries(Object.entries(invalid).map(([field, problem]) => [field, this.t(`prov.invalid.${problem}`)]));
      this.formError = this.t('ext.invalidForm');
      return null;
    }
    this.saving = true;
    try {
      const body = this.request();
      const saved = this.draft.id
        ? await this.api.put<ProviderConnection>(`/api/provider-connections/${encodeURIComponent(this.draft.id)}`, body)
        : await this.api.post<ProviderConnection>('/api/provider-connections', body);
      this.connections = [...this.connections.filter((connection) => connection.id !== saved.id), saved];
      this.draft = draftOf(saved);
      this.fieldErrors = {};
      this.saved = true;
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
      this.fieldErrors = Object.fromEntries(error.errors.map(({ field, message }) => [providerErrorField(field), message]));
      this.formError = error.detail || this.t('ext.invalidForm');
    } else if (error instanceof ApiError && error.status === 400) {
      this.fieldErrors = fieldsFromDetail(this.draft.kind, error.detail);
      this.formError = error.detail || error.title;
    } else {
      this.formError = this.errorText(error);
    }
  }

  /** Tests the connection (saving it first when new or changed) and shows each step. */
  async test(): Promise<void> {
    if (this.testing) {
      return;
    }
    this.check = null;
    let id = this.draft.id;
    if (!id || this.draft.dirty || this.draft.secret) {
      id = (await this.save())?.id ?? null;
      if (!id) {
        return;
      }
    }
    this.testing = true;
    try {
      this.check = await this.api.post<ConnectionCheck>(`/api/provider-connections/${encodeURIComponent(id)}/test`);
    } catch (error) {
      this.formError = this.errorText(error);
    } finally {
      this.testing = false;
    }
  }

  private fieldError(name: string) {
    const error = this.fieldErrors[name];
    return error ? html`<p class="field-error" id=${`${name}-error`} data-testid=${`field-error-${name}`}>${error}</p>` : nothing;
  }

  private renderSetting(field: SettingField) {
    const value = this.draft.settings[field.name] ?? '';
    const label = this.t(`prov.setting.${field.name}` as MessageKey);
    const error = this.fieldErrors[field.name];
    if (field.type === 'checkbox') {
      return html`
        <label class="check">
          <input type="checkbox" id=${field.name} data-testid=${`provider-${field.name}`} .checked=${value === 'true'}
            @change=${(event: Event) => this.changeSetting(field.name, (event.target as HTMLInputElement).checked ? 'true' : 'false')} />
          ${label}
        </label>
        ${this.fieldError(field.name)}
      `;
    }
    return html`
      <label for=${field.name}>${label}${field.required ? nothing : html` <span class="hint">(${this.t('common.optional')})</span>`}</label>
      <input id=${field.name} data-testid=${`provider-${field.name}`} type=${field.type === 'number' ? 'text' : field.type}
        inputmode=${field.type === 'number' ? 'numeric' : 'text'} autocomplete="off" placeholder=${field.placeholder ?? ''}
        ?required=${!!field.required} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? `${field.name}-error` : ''}
        .value=${value} @input=${(event: Event) => this.changeSetting(field.name, (event.target as HTMLInputElement).value)} />
      ${this.fieldError(field.name)}
    `;
  }

  protected override render() {
    if (!this.effectiveTokenProvider) {
      return html`<p class="hint">${this.t('common.notSignedIn')}</p>`;
    }
    if (this.forbidden) {
      return html`<p class="hint" data-testid="provider-forbidden">${this.t('prov.adminOnly')}</p>`;
    }
    const draft = this.draft;
    const secretLabel = this.t(`prov.secret.${draft.kind}`);
    return html`
      <div class="wrap">
        <section class="card" aria-labelledby="providers-title">
          <h2 id="providers-title">${this.t('prov.title')}</h2>
          ${this.loading ? html`<p class="hint">${this.t('common.loading')}</p>` : nothing}
          ${!this.loading && this.connections.length === 0 ? html`<p class="hint">${this.t('prov.empty')}</p>` : nothing}
          <ul class="connections" data-testid="provider-list">
            ${this.connections.map(
              (connection) => html`
                <li data-testid="provider-item" data-id=${connection.id} aria-current=${connection.id === draft.id ? 'true' : 'false'}>
                  <span>
                    <span class="name">${connection.name}</span>
                    <span class="hint">· ${this.t(`prov.kind.${kindOf(connection.kind)}`)} ·
                      ${connection.enabled ? this.t('prov.enabled') : this.t('prov.disabled')}</span>
                  </span>
                  <button type="button" data-testid="provider-edit" @click=${() => this.edit(connection)}
                    aria-label=${`${this.t('common.edit')}: ${connection.name}`}>${this.t('common.edit')}</button>
                </li>
              `,
            )}
          </ul>
          <div class="row" style="margin-top: 8px">
            <button type="button" data-testid="provider-new" @click=${() => this.edit(null)}>${this.t('prov.new')}</button>
          </div>
        </section>
        <form class="card" data-testid="provider-form" novalidate @submit=${(event: Event) => void this.save(event)}>
          <h2>${draft.id ? this.t('prov.editing', { name: draft.name }) : this.t('prov.creating')}</h2>
          <label for="kind">${this.t('prov.kind')}</label>
          <select id="kind" data-testid="provider-kind" ?disabled=${!!draft.id}
            @change=${(event: Event) => this.changeKind(kindOf((event.target as HTMLSelectElement).value))}>
            <option value="asterisk" ?selected=${draft.kind === 'asterisk'}>${this.t('prov.kind.asterisk')}</option>
            <option value="api4com" ?selected=${draft.kind === 'api4com'}>${this.t('prov.kind.api4com')}</option>
          </select>
          ${this.fieldError('kind')}
          <label for="name">${this.t('prov.name')}</label>
          <input id="name" data-testid="provider-name" maxlength="100" autocomplete="off" required
            aria-invalid=${this.fieldErrors.name ? 'true' : 'false'} aria-describedby=${this.fieldErrors.name ? 'name-error' : ''}
            .value=${draft.name} @input=${(event: Event) => this.change({ name: (event.target as HTMLInputElement).value })} />
          ${this.fieldError('name')}
          <label class="check">
            <input type="checkbox" data-testid="provider-enabled" .checked=${draft.enabled}
              @change=${(event: Event) => this.change({ enabled: (event.target as HTMLInputElement).checked })} />
            ${this.t('prov.enabled')}
          </label>
          <label for="secret">${secretLabel}</label>
          <input id="secret" type="password" data-testid="provider-secret" autocomplete="new-password" maxlength="500"
            aria-invalid=${this.fieldErrors.secret ? 'true' : 'false'} aria-describedby="secret-state"
            .value=${draft.secret} @input=${(event: Event) => this.change({ secret: (event.target as HTMLInputElement).value })} />
          <p class="hint" id="secret-state" data-testid="provider-secret-state">
            ${this.t('prov.secretState', { secret: secretLabel, state: draft.secretSet ? this.t('common.set') : this.t('common.notSet') })}${draft.secretSet
              ? ` · ${this.t('prov.secretHint')}`
              : ''}
          </p>
          ${this.fieldError('secret')}
          ${PROVIDER_SETTINGS[draft.kind].map((field) => this.renderSetting(field))}
          ${this.formError ? html`<p class="error" role="alert" data-testid="provider-error">${this.formError}</p>` : nothing}
          ${this.saved ? html`<p class="ok-text" role="status" data-testid="provider-saved">${this.t('prov.saved')}</p>` : nothing}
          <div class="row" style="margin-top: 12px">
            <button class="primary" type="submit" data-testid="provider-save" ?disabled=${this.saving}>
              ${this.saving ? this.t('common.saving') : this.t('common.save')}
            </button>
            <button type="button" data-testid="provider-test" ?disabled=${this.testing || this.saving} @click=${() => void this.test()}>
              ${this.testing ? this.t('common.testing') : this.t('common.test')}
            </button>
          </div>
          <div role="status" aria-live="polite">${this.check ? this.renderCheck(this.check) : nothing}</div>
        </form>
      </div>
    `;
  }

  private renderCheck(check: ConnectionCheck) {
    return html`
      <div class="result" data-testid="provider-test-result" data-ok=${check.ok ? 'true' : 'false'}>
        <p style="margin: 0">${check.summary}</p>
        <ol class="steps">
          ${check.steps.map(
            (step) => html`<li data-testid="provider-test-step" data-ok=${step.ok ? 'true' : 'false'}>
              <span class=${step.ok ? 'step-ok' : 'step-failed'}>${step.ok ? '✓' : '✗'}
                ${step.ok ? this.t('prov.testPassed') : this.t('prov.testFailed')}</span>
              — ${step.name}${step.detail ? `: ${step.detail}` : ''}
            </li>`,
          )}
        </ol>
        <p class="hint">${this.t('prov.testDuration', { ms: check.durationMillis })}</p>
      </div>
    `;
  }
}
