import { html, css, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { ApiError } from '../api/client';
import type { Extension, ExtensionDefaults, ExtensionUpdate, WebphoneSettings } from '../api/types';
import { jssipAgentFactory } from '../phone/jssip-adapter';
import type { ExtensionTestOutcome } from '../phone/reasons';
import { testRegistration } from '../phone/registration-test';
import type { SipAgentFactory } from '../phone/sip';
import { VoxdeskElement } from './base';
import { baseStyles } from './styles';

const EXTENSION_PATTERN = /^[0-9A-Za-z._-]{1,40}$/;
const WEBSOCKET_PATTERN = /^wss?:\/\/[^\s/]+/i;

type Field = 'extension' | 'username' | 'password' | 'domain' | 'websocketUrl' | 'displayName';

interface Form {
  extension: string;
  username: string;
  password: string;
  domain: string;
  websocketUrl: string;
  displayName: string;
  active: boolean;
}

const EMPTY: Form = { extension: '', username: '', password: '', domain: '', websocketUrl: '', displayName: '', active: true };

/** Checks the form the way the server will; returns the field errors' i18n keys. */
export function validateExtensionForm(form: Pick<Form, 'extension' | 'websocketUrl'>): Partial<Record<Field, 'ext.invalidExtension' | 'ext.invalidWebsocket'>> {
  const errors: Partial<Record<Field, 'ext.invalidExtension' | 'ext.invalidWebsocket'>> = {};
  if (!EXTENSION_PATTERN.test(form.extension.trim())) {
    errors.extension = 'ext.invalidExtension';
  }
  if (form.websocketUrl.trim() && !WEBSOCKET_PATTERN.test(form.websocketUrl.trim())) {
    errors.websocketUrl = 'ext.invalidWebsocket';
  }
  return errors;
}

/** `<voxdesk-extension-settings>`: the user's own SIP extension, with a Test button that really registers. */
export class VoxdeskExtensionSettingsElement extends VoxdeskElement {
  static override styles = [
    baseStyles,
    css`
      form {
        max-width: 480px;
      }
      .result {
        margin: 10px 0 0;
        padding: 6px 10px;
        border-left: 4px solid var(--_border);
      }
      .result[data-outcome='registered'] {
        border-color: var(--_ok);
      }
      .result[data-outcome='wrong-password'],
      .result[data-outcome='unreachable'],
      .result[data-outcome='failed'] {
        border-color: var(--_danger);
      }
    `,
  ];

  /** Makes the SIP user agent for the Test button; replaceable for hosts and tests. */
  sipAgentFactory: SipAgentFactory = jssipAgentFactory;

  @state() private form: Form = { ...EMPTY };
  @state() private loaded: Extension | null = null;
  @state() private defaults: ExtensionDefaults | null = null;
  @state() private loading = false;
  @state() private saving = false;
  @state() private testing = false;
  @state() private fieldErrors: Partial<Record<Field, string>> = {};
  @state() private formError = '';
  @state() private saved = false;
  @state() private notSetUp = false;
  @state() private testResult: { outcome: ExtensionTestOutcome; text: string } | null = null;

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

  /** Loads the extension and the tenant's defaults. */
  async load(): Promise<void> {
    if (!this.effectiveTokenProvider) {
      return;
    }
    const serial = ++this.loadSerial;
    this.loading = true;
    this.formError = '';
    const api = this.api;
    const [extension, defaults] = await Promise.allSettled([
      api.get<Extension>('/api/me/extension'),
      api.get<ExtensionDefaults>('/api/me/extension/defaults'),
    ]);
    if (serial !== this.loadSerial) {
      return;
    }
    this.loading = false;
    this.defaults = defaults.status === 'fulfilled' ? defaults.value : null;
    if (extension.status === 'fulfilled') {
      this.show(extension.value);
    } else if (extension.reason instanceof ApiError && extension.reason.status === 404) {
      this.loaded = null;
      this.notSetUp = true;
      this.form = { ...EMPTY };
    } else {
      this.formError = this.errorText(extension.reason);
    }
  }

  private show(extension: Extension): void {
    this.loaded = extension;
    this.notSetUp = false;
    this.form = {
      extension: extension.extension ?? '',
      username: extension.username && extension.username !== extension.extension ? extension.username : '',
      password: '',
      domain: extension.domain ?? '',
      websocketUrl: extension.websocketUrl ?? '',
      displayName: extension.displayName ?? '',
      active: extension.active !== false,
    };
  }

  private set(field: keyof Form, value: string | boolean): void {
    this.form = { ...this.form, [field]: value };
    this.saved = false;
    if (field in this.fieldErrors) {
      const { [field as Field]: _removed, ...rest } = this.fieldErrors;
      this.fieldErrors = rest;
    }
  }

  private validate(): boolean {
    const errors = validateExtensionForm(this.form);
    this.fieldErrors = Object.fromEntries(Object.entries(errors).map(([field, key]) => [field, this.t(key)]));
    return Object.keys(errors).length === 0;
  }

  /** Saves the form with `PUT /api/me/extension`; the password is sent only when typed. */
  async save(event?: Event): Promise<void> {
    event?.preventDefault();
    if (this.saving) {
      return;
    }
    this.formError = '';
    this.saved = false;
    if (!this.validate()) {
      this.formError = this.t('ext.invalidForm');
      return;
    }
    const form = this.form;
    const body: ExtensionUpdate = {
      extension: form.extension.trim(),
      username: form.username.trim() || null,
      domain: form.domain.trim() || null,
      websocketUrl: form.websocketUrl.trim() || null,
      displayName: form.displayName.trim() || null,
      active: form.active,
      ...(form.password ? { password: form.password } : {}),
    };
    this.saving = true;
    try {
      const saved = await this.api.put<Extension>('/api/me/extension', body);
      this.show(saved ?? { ...body, extension: body.extension, active: body.active, passwordSet: this.loaded?.passwordSet || !!form.password });
      this.saved = true;
      this.emit('voxdesk-extension-saved', saved);
    } catch (error) {
      this.showError(error);
    } finally {
      this.saving = false;
    }
  }

  private showError(error: unknown): void {
    if (error instanceof ApiError && error.errors.length > 0) {
      const errors: Partial<Record<Field, string>> = {};
      for (const { field, message } of error.errors) {
        errors[field as Field] = message;
      }
      this.fieldErrors = errors;
      this.formError = error.detail || this.t('ext.invalidForm');
    } else if (error instanceof ApiError && error.status === 409) {
      this.fieldErrors = { extension: error.detail || error.title };
      this.formError = '';
    } else {
      this.formError = this.errorText(error);
    }
  }

  /** Tries a real registration with the form's values, then unregisters; shows the outcome. */
  async test(): Promise<void> {
    if (this.testing) {
      return;
    }
    this.testResult = null;
    if (!this.validate()) {
      this.formError = this.t('ext.invalidForm');
      return;
    }
    const form = this.form;
    const user = form.username.trim() || form.extension.trim();
    const domain = form.domain.trim() || this.defaults?.domain || '';
    const websocketUrl = form.websocketUrl.trim() || this.defaults?.websocketUrl || '';
    if (!domain || !websocketUrl) {
      this.testResult = { outcome: 'failed', text: this.t('ext.needsServer') };
      return;
    }
    this.testing = true;
    try {
      let password = form.password;
      if (!password) {
        try {
          password = (await this.api.get<WebphoneSettings>('/api/me/webphone')).password;
        } catch {
          password = '';
        }
      }
      if (!password) {
        this.testResult = { outcome: 'failed', text: this.t('ext.needsPassword') };
        return;
      }
      const result = await testRegistration(
        {
          uri: `sip:${user}@${domain}`,
          authorizationUser: user,
          password,
          websocketUrl,
          displayName: form.displayName.trim() || null,
        },
        this.sipAgentFactory,
      );
      const server = websocketUrl;
      const text =
        result.outcome === 'failed'
          ? this.t('ext.test.failed', { cause: result.cause || '?' })
          : this.t(`ext.test.${result.outcome}`, { server });
      this.testResult = { outcome: result.outcome, text };
    } finally {
      this.testing = false;
    }
  }

  private input(field: Field, label: string, options: { type?: string; placeholder?: string; hint?: string; autocomplete?: string } = {}) {
    const error = this.fieldErrors[field];
    const hintId = options.hint ? `${field}-hint` : '';
    const errorId = error ? `${field}-error` : '';
    return html`
      <label for=${field}>${label}</label>
      <input id=${field} name=${field} type=${options.type ?? 'text'} data-testid=${`extension-${field}`}
        autocomplete=${options.autocomplete ?? 'off'} placeholder=${options.placeholder ?? ''}
        aria-invalid=${error ? 'true' : 'false'} aria-describedby=${[hintId, errorId].filter(Boolean).join(' ')}
        .value=${this.form[field]} @input=${(event: Event) => this.set(field, (event.target as HTMLInputElement).value)} />
      ${options.hint ? html`<p class="hint" id=${hintId}>${options.hint}</p>` : nothing}
      ${error ? html`<p class="field-error" id=${errorId} data-testid=${`field-error-${field}`}>${error}</p>` : nothing}
    `;
  }

  protected override render() {
    if (!this.effectiveTokenProvider) {
      return html`<p class="hint">${this.t('common.notSignedIn')}</p>`;
    }
    const passwordSet = !!this.loaded?.passwordSet;
    const defaults = this.defaults;
    return html`
      <form class="card" data-testid="extension-form" novalidate aria-busy=${this.loading ? 'true' : 'false'}
        @submit=${(event: Event) => void this.save(event)}>
        <h2>${this.t('ext.title')}</h2>
        ${this.loading ? html`<p class="hint">${this.t('common.loading')}</p>` : nothing}
        ${this.notSetUp ? html`<p class="hint">${this.t('ext.notSetUp')}</p>` : nothing}
        ${defaults?.source ? html`<p class="hint">${this.t('ext.defaultsFrom', { source: defaults.source })}</p>` : nothing}
        ${this.input('extension', this.t('ext.extension'), { placeholder: '1001' })}
        ${this.input('username', this.t('ext.username'), { placeholder: this.form.extension || '', hint: this.t('ext.usernameHint') })}
        ${this.input('password', this.t('ext.password'), {
          type: 'password',
          autocomplete: 'new-password',
          hint: `${this.t('ext.passwordState', { state: passwordSet ? this.t('common.set') : this.t('common.notSet') })}${passwordSet ? ' · ' + this.t('ext.passwordHint') : ''}`,
        })}
        ${this.input('domain', this.t('ext.domain'), { placeholder: defaults?.domain ?? 'pbx.example.com' })}
        ${this.input('websocketUrl', this.t('ext.websocketUrl'), { type: 'url', placeholder: defaults?.websocketUrl ?? 'wss://pbx.example.com:8089/ws' })}
        ${this.input('displayName', this.t('ext.displayName'), { autocomplete: 'name' })}
        <label class="check">
          <input type="checkbox" data-testid="extension-active" .checked=${this.form.active}
            @change=${(event: Event) => this.set('active', (event.target as HTMLInputElement).checked)} />
          ${this.t('ext.active')}
        </label>
        ${this.formError ? html`<p class="error" role="alert" data-testid="extension-error">${this.formError}</p>` : nothing}
        ${this.saved ? html`<p class="ok-text" role="status" data-testid="extension-saved">${this.t('ext.saved')}</p>` : nothing}
        <div class="row" style="margin-top: 12px">
          <button class="primary" type="submit" data-testid="extension-save" ?disabled=${this.saving}>
            ${this.saving ? this.t('common.saving') : this.t('common.save')}
          </button>
          <button type="button" data-testid="extension-test" ?disabled=${this.testing} @click=${() => void this.test()}>
            ${this.testing ? this.t('common.testing') : this.t('common.test')}
          </button>
        </div>
        <div role="status" aria-live="polite">
          ${this.testResult
            ? html`<p class="result" data-testid="extension-test-result" data-outcome=${this.testResult.outcome}>${this.testResult.text}</p>`
            : nothing}
        </div>
      </form>
    `;
  }
}
