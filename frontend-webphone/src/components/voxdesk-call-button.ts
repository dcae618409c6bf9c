import { html, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CallRecord } from '../api/types';
import { VoxdeskElement } from './base';
import { baseStyles } from './styles';

/** `<voxdesk-call-button>`: click-to-call; the backend rings the user's phone, then the number. */
export class VoxdeskCallButtonElement extends VoxdeskElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-block;
      }
      button {
        display: inline-flex;
        align-items: center;
        gap: 6px;
      }
      p {
        margin: 4px 0 0;
        font-size: 0.9em;
      }
      .started {
        color: var(--_muted);
      }
      .started:empty {
        margin: 0;
      }
      .warning {
        color: var(--_danger, #b45309);
        font-weight: 600;
      }
    `,
  ];

  @property() number = '';
  @property() ticket = '';
  @property() contact = '';

  @state() private busy = false;
  @state() private error = '';
  @state() private started = false;
  /** Set when the number is on the tenant's do-not-call list: the call goes ahead, the agent is told. */
  @state() private doNotCall = false;

  /** Starts the click-to-call; resolves with the call record, or `null` when it was refused. */
  async requestCall(): Promise<CallRecord | null> {
    const number = this.number.trim();
    if (!number || this.busy) {
      return null;
    }
    this.busy = true;
    this.error = '';
    this.started = false;
    this.doNotCall = false;
    try {
      const record = await this.api.post<CallRecord>(this.path(), this.body(number));
      this.started = true;
      this.doNotCall = Boolean(record.warning);
      document.dispatchEvent(new CustomEvent('voxdesk-call-requested', { detail: record }));
      return record;
    } catch (error) {
      this.error = this.errorText(error);
      return null;
    } finally {
      this.busy = false;
    }
  }

  private path(): string {
    if (this.ticket && !this.contact) {
      return `/api/tickets/${encodeURIComponent(this.ticket)}/calls`;
    }
    if (this.contact && !this.ticket) {
      return `/api/contacts/${encodeURIComponent(this.contact)}/calls`;
    }
    return '/api/calls';
  }

  private body(number: string): Record<string, string> {
    if (this.ticket && this.contact) {
      return { number, ticketId: this.ticket, contactId: this.contact };
    }
    return { number };
  }

  protected override render() {
    const label = this.t('callButton.label', { number: this.number });
    return html`
      <button type="button" data-testid="call-button" aria-label=${label} ?disabled=${this.busy || !this.number.trim()}
        aria-busy=${this.busy ? 'true' : 'false'} @click=${() => void this.requestCall()}>
        <svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="currentColor">
          <path d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1l-2.2 2.23Z" />
        </svg>
        <slot>${this.busy ? this.t('callButton.calling') : this.number}</slot>
      </button>
      ${this.error ? html`<p class="error" data-testid="call-button-error" role="alert">${this.error}</p>` : nothing}
      ${this.doNotCall
        ? html`<p class="warning" data-testid="call-button-warning" role="alert">${this.t('callButton.doNotCall', { number: this.number })}</p>`
        : nothing}
      <p class="started" role="status">${this.started ? this.t('callButton.started', { number: this.number }) : ''}</p>
    `;
  }
}
