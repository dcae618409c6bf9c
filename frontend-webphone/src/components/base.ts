import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { ApiClient, ApiError, NotSignedInError } from '../api/client';
import { globalConfig, globalTokenProvider, onConfigChange, resolveApiBase, type TokenProvider } from '../config';
import { resolveLang, translate, type Lang, type MessageKey } from '../i18n';

/** Shared plumbing of the Voxdesk elements: `api-base`, `lang`, the token, the API client and i18n. */
export class VoxdeskElement extends LitElement {
  @property({ attribute: 'api-base' }) apiBase = '';
  @property() override lang = '';
  @property({ attribute: false }) tokenProvider: TokenProvider | undefined = undefined;

  private stopWatchingConfig: (() => void) | undefined;
  private firstUpdateDone = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopWatchingConfig = onConfigChange(() => {
      this.requestUpdate();
      this.connectionSettingsChanged();
    });
  }

  override disconnectedCallback(): void {
    this.stopWatchingConfig?.();
    this.stopWatchingConfig = undefined;
    super.disconnectedCallback();
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    // The first update only carries the initial values, which connectedCallback already acted on.
    if (this.firstUpdateDone && (changed.has('apiBase') || changed.has('tokenProvider'))) {
      this.connectionSettingsChanged();
    }
    this.firstUpdateDone = true;
  }

  /** Called when the API base or the token source changed (on the element or through `Voxdesk.configure`). */
  protected connectionSettingsChanged(): void {}

  protected get language(): Lang {
    return resolveLang(this.lang, globalConfig().lang, globalThis.navigator?.language);
  }

  protected t(key: MessageKey, params?: Record<string, string | number>): string {
    return translate(this.language, key, params);
  }

  protected get resolvedApiBase(): string {
    return resolveApiBase(this.apiBase);
  }

  protected get effectiveTokenProvider(): TokenProvider | undefined {
    return this.tokenProvider ?? globalTokenProvider();
  }

  protected get api(): ApiClient {
    return new ApiClient({ apiBase: this.resolvedApiBase, tokenProvider: this.effectiveTokenProvider });
  }

  /** Plain words for a failed request. */
  protected errorText(error: unknown): string {
    if (error instanceof NotSignedInError) {
      return this.t('common.notSignedIn');
    }
    if (error instanceof ApiError) {
      if (error.status === 0) {
        return this.t('common.networkError');
      }
      if (error.status === 401) {
        return this.t('common.sessionExpired');
      }
      if (error.status === 403) {
        return this.t('common.forbidden');
      }
      return error.detail || error.title;
    }
    return this.t('common.failed', { detail: error instanceof Error ? error.message : String(error) });
  }

  protected emit(type: string, detail?: unknown, target: EventTarget = this): void {
    target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}
