/** Returns a current bearer access token. */
export type TokenProvider = () => Promise<string>;

/** Settings shared by every Voxdesk element on the page. */
export interface VoxdeskConfig {
  apiBase?: string;
  tokenProvider?: TokenProvider;
  lang?: string;
}

const current: VoxdeskConfig = {};
const changes = new EventTarget();

/** Sets page-wide defaults; elements already on the page pick them up at once. */
export function configure(config: VoxdeskConfig): void {
  Object.assign(current, config);
  changes.dispatchEvent(new Event('change'));
}

/** The page-wide defaults set with {@link configure}. */
export function globalConfig(): Readonly<VoxdeskConfig> {
  return current;
}

/** Calls `listener` after every {@link configure}; returns the unsubscribe function. */
export function onConfigChange(listener: () => void): () => void {
  changes.addEventListener('change', listener);
  return () => changes.removeEventListener('change', listener);
}

/** The API base without a trailing slash: the given one, the configured one, or the page's origin. */
export function resolveApiBase(attribute?: string | null): string {
  const base = attribute || current.apiBase || globalThis.location?.origin || '';
  return base.replace(/\/+$/, '');
}
