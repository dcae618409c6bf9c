import { css } from 'lit';

/** Look shared by every element; hosts theme it through the `--voxdesk-*` custom properties. */
export const baseStyles = css`
  :host {
    --_accent: var(--voxdesk-accent, #0b5cad);
    --_danger: var(--voxdesk-danger, #b3261e);
    --_ok: var(--voxdesk-ok, #1b6e3a);
    --_text: var(--voxdesk-text, #1c1f23);
    --_muted: var(--voxdesk-muted, #5a6270);
    --_surface: var(--voxdesk-surface, #ffffff);
    --_border: var(--voxdesk-border, #c9ced6);
    --_radius: var(--voxdesk-radius, 8px);
    display: block;
    box-sizing: border-box;
    max-width: 100%;
    color: var(--_text);
    font: var(--voxdesk-font, 15px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  button {
    font: inherit;
    min-height: 40px;
    padding: 6px 14px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    cursor: pointer;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: #fff;
  }
  button.danger {
    background: var(--_danger);
    border-color: var(--_danger);
    color: #fff;
  }
  button.ok {
    background: var(--_ok);
    border-color: var(--_ok);
    color: #fff;
  }
  button[aria-pressed='true'] {
    background: #e3ecf7;
    border-color: var(--_accent);
    font-weight: 600;
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible,
  audio:focus-visible {
    outline: 3px solid var(--voxdesk-focus, #f2a900);
    outline-offset: 2px;
  }
  input,
  select,
  textarea {
    font: inherit;
    width: 100%;
    min-height: 40px;
    padding: 6px 10px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
  }
  input[type='checkbox'] {
    width: auto;
    min-height: 0;
    margin: 0 8px 0 0;
    transform: scale(1.3);
  }
  input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  label {
    display: block;
    font-weight: 600;
    margin: 10px 0 4px;
  }
  label.check {
    display: flex;
    align-items: center;
    font-weight: 400;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.87em;
    margin: 2px 0 0;
  }
  .field-error,
  .error {
    color: var(--_danger);
    margin: 4px 0 0;
  }
  .ok-text {
    color: var(--_ok);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  .card {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: 12px;
  }
  h2,
  h3 {
    margin: 0 0 8px;
    font-size: 1.1em;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
