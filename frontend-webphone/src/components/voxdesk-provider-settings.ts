import { html, css, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { ApiError } from '../api/client';
import type {
  ConnectionCheck,
  ProviderConnection,
  ProviderConnectionRequest,
  ProviderKindDescription,
  ProviderSettingDescription,
} from '../api/types';
import { isMessageKey } from '../i18n';
import { VoxdeskElement } from './base';
import { baseStyles } from './styles';

interface Draft {
  id: string | null;
  kind: string;
  name: string;
  enabled: boolean;
  settings: Record<string, string>;
  secret: string;
  secretSet: boolean;
  dirty: boolean;
}

/** What a draft is checked against: the settings its kind declares. */
type DraftCheck = Pick<Draft, 'name' | 'settings' | 'secret' | 'secretSet'>;

/** A problem the form finds before sending, by field. */
export type DraftProblem = 'required' | 'url' | 'number' | 'pattern';

/** The kind a connection names, among those the server declared (any case: older servers wrote `ASTERISK`). */
function kindOf(kinds: ProviderKindDescription[], value: string): ProviderKindDescription | undefined {
  const code = value.toLowerCase();
  return kinds.find((kind) => kind.kind === code);
}

/** The settings stored in the clear, in form order. */
export function plainSettings(kind: ProviderKindDescription | undefined): ProviderSettingDescription[] {
  return (kind?.settings ?? []).filter((setting) => !setting.secret);
}

function initialSettings(kind: ProviderKindDescription | undefined): Record<string, string> {
  return Object.fromEntries(
    plainSettings(kind)
      .filter((setting) => setting.defaultValue != null)
      .map((setting) => [setting.name, setting.defaultValue!]),
  );
}

function newDraft(kind: ProviderKindDescription | undefined): Draft {
  return { id: null, kind: kind?.kind ?? '', name: '', enabled: true, settings: initialSettings(kind), secret: '', secretSet: false, dirty: false };
}

function draftOf(connection: ProviderConnection): Draft {
  return {
    id: connection.id,
    kind: connection.kind.toLowerCase(),
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
export function fieldsFromDetail(kind: ProviderKindDescription | undefined, detail: string): Record<string, string> {
  const first = /^([A-Za-z]+)\b/.exec(detail.trim())?.[1];
  return first && plainSettings(kind).some((setting) => setting.name === first) ? { [first]: detail } : {};
}

/** Whether the whole value matches a pattern the server declared (Java syntax; one JavaScript cannot read is skipped). */
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return true;
  }
}

/** Checks the draft against what its kind declares, as the server will; returns each invalid field and its problem. */
export function validateProviderDraft(kind: ProviderKindDescription | undefined, draft: DraftCheck): Record<string, DraftProblem> {
  const errors: Record<string, DraftProblem> = {};
  if (!draft.name.trim()) {
    errors.name = 'required';
  }
  const secret = kind?.settings.find((setting) => setting.secret);
  if (!draft.secret && !draft.secretSet) {
    errors.secret = 'required';
  } else if (draft.secret && secret?.pattern && !matches(secret.pattern, draft.secret.trim())) {
    errors.secret = 'pattern';
  }
  for (const setting of plainSettings(kind)) {
    const value = (draft.settings[setting.name] ?? '').trim();
    if (!value) {
      if (setting.required) {
        errors[setting.name] = 'required';
      }
    } else if (setting.type === 'URL' && !/^https?:\/\/[^\s/]+/i.test(value)) {
      errors[setting.name] = 'url';
    } else if (
      setting.type === 'NUMBER' &&
      (!/^[0-9]{1,9}$/.test(value) || Number(value) < (setting.min ?? 0) || Number(value) > (setting.max ?? Number.MAX_SAFE_INTEGER))
    ) {
      errors[setting.name] = 'number';
    } else if (setting.pattern && !matches(setting.pattern, value)) {
      errors[setting.name] = 'pattern';
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
  @state() private kinds: ProviderKindDescription[] = [];
  @state() private draft: Draft = newDraft(undefined);
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

  /** Loads the installed kinds and the connections, and opens the first one (or a new one) in the form. */
  async load(): Promise<void> {
    if (!this.effectiveTokenProvider) {
      return;
    }
    const serial = ++this.loadSerial;
    this.loading = true;
    try {
      const [kinds, connections] = await Promise.all([
        this.api.get<ProviderKindDescription[]>('/api/provider-kinds'),
        this.api.get<ProviderConnection[]>('/api/provider-connections'),
      ]);
      if (serial !== this.loadSerial) {
        return;
      }
      this.forbidden = false;
      this.kinds = kinds ?? [];
      this.connections = connections ?? [];
      const current = this.connections.find((connection) => connection.id === this.draft.id) ?? this.connections[0];
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
    this.draft = connection ? draftOf(connection) : newDraft(this.kinds[0]);
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

  /** The declaration of the kind in the form. */
  private get kind(): ProviderKindDescription | undefined {
    return kindOf(this.kinds, this.draft.kind);
  }

  private changeKind(code: string): void {
    const kind = kindOf(this.kinds, code);
    if (!kind || kind.kind === this.draft.kind) {
      return;
    }
    const allowed = new Set(plainSettings(kind).map((setting) => setting.name));
    const kept = Object.fromEntries(Object.entries(this.draft.settings).filter(([name]) => allowed.has(name)));
    this.change({ kind: kind.kind, settings: { ...initialSettings(kind), ...kept } });
  }

  /** A label in the page's language when the catalogue has one, else as the connector declared it. */
  private label(key: string, declared: string): string {
    return isMessageKey(key) ? this.t(key) : declared;
  }

  private secretLabel(): string {
    const declared = this.kind?.settings.find((setting) => setting.secret)?.label ?? this.t('prov.secret');
    return this.label(`prov.secret.${this.draft.kind}`, declared);
  }

  private kindLabel(code: string): string {
    const kind = kindOf(this.kinds, code);
    return this.label(`prov.kind.${code.toLowerCase()}`, kind?.displayName ?? code);
  }

  /** What is wrong with a field, in words. */
  private problemText(field: string, problem: DraftProblem): string {
    const setting = this.kind?.settings.find((candidate) => candidate.name === field || (field === 'secret' && candidate.secret));
    if (problem === 'number') {
      return this.t('prov.invalid.number', { min: setting?.min ?? 0, max: setting?.max ?? 0 });
    }
    if (problem === 'pattern') {
      return this.t('prov.invalid.pattern', { rule: setting?.rule ?? '' });
    }
    return this.t(`prov.invalid.${problem}`);
  }

  private request(): ProviderConnectionRequest {
    const draft = this.draft;
    const settings: Record<string, string> = {};
    for (const setting of plainSettings(this.kind)) {
      const value = (draft.settings[setting.name] ?? '').trim();
      if (setting.type === 'FLAG') {
        settings[setting.name] = value === 'true' ? 'true' : 'false';
      } else if (value) {
        settings[setting.name] = value;
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
    const invalid = validateProviderDraft(this.kind, this.draft);
    if (Object.keys(invalid).length > 0) {
      this.fieldErrors = Object.fromEntries(Object.entries(invalid).map(([field, problem]) => [field, this.problemText(field, problem)]));
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
      this.fieldErrors = fieldsFromDetail(this.kind, error.detail);
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

  private renderSetting(setting: ProviderSettingDescription) {
    const field = { ...setting, placeholder: setting.example ?? (setting.type === 'URL' ? 'https://' : '') };
    const value = this.draft.settings[field.name] ?? '';
    const label = this.label(`prov.setting.${field.name}`, setting.label);
    const error = this.fieldErrors[field.name];
    if (field.type === 'FLAG') {
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
      <input id=${field.name} data-testid=${`provider-${field.name}`} type=${field.type === 'URL' ? 'url' : 'text'}
        inputmode=${field.type === 'NUMBER' ? 'numeric' : 'text'} autocomplete="off" placeholder=${field.placeholder}
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
    const secretLabel = this.secretLabel();
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
                    <span class="hint">· ${this.kindLabel(connection.kind)} ·
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
            @change=${(event: Event) => this.changeKind((event.target as HTMLSelectElement).value)}>
            ${this.kinds.map(
              (kind) => html`<option value=${kind.kind} ?selected=${draft.kind === kind.kind}>${this.kindLabel(kind.kind)}</option>`,
            )}
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
          ${plainSettings(this.kind).map((setting) => this.renderSetting(setting))}
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
