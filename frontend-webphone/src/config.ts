/** Returns a current bearer access token; rejects when there is no session (signed out, or expired for good). */
export type TokenProvider = () => Promise<string>;

/** Settings shared by every Voxdesk element on the page. */
export interface VoxdeskConfig {
  apiBase?: string;
  /**
   * Where the elements get access tokens: the host page's own OIDC session (for example `oidc-client-ts`'s
   * `UserManager.getUser()`), refreshed by the host. Called before every request and STOMP connection.
   */
  getToken?: TokenProvider;
  /** The older name of {@link VoxdeskConfig.getToken}; `getToken` wins when both are set. */
  tokenProvider?: TokenProvider;
  lang?: string;
  /**
   * Called once when the session is found over: `getToken` rejected, or Voxdesk answered 401 to a request made
   * with its token. The host shows its sign-in prompt; the same moment is the `voxdesk-session-expired` event on
   * `window`.
   */
  onSessionExpired?: (detail: SessionExpiredDetail) => void;
}

/** Why the session is over. */
export interface SessionExpiredDetail {
  /** `token-unavailable`: the token provider rejected; `unauthorized`: Voxdesk refused the token (401). */
  reason: 'token-unavailable' | 'unauthorized';
  /** The API base the refused request went to. */
  apiBase: string;
}

/** The name of the window event fired when the session is over. */
export const SESSION_EXPIRED_EVENT = 'voxdesk-session-expired';

const current: VoxdeskConfig = {};
const changes = new EventTarget();
/** The session last found over: its token provider, and the token Voxdesk refused (none when there was none). */
let expired: { provider: TokenProvider; token: string | undefined } | undefined;

/** Sets page-wide defaults; elements already on the page pick them up at once. */
export function configure(config: VoxdeskConfig): void {
  Object.assign(current, config);
  changes.dispatchEvent(new Event('change'));
}

/** The page-wide defaults set with {@link configure}. */
export function globalConfig(): Readonly<VoxdeskConfig> {
  return current;
}

/** The page-wide token source: `getToken`, else `tokenProvider`. */
export function globalTokenProvider(): TokenProvider | undefined {
  return current.getToken ?? current.tokenProvider;
}

/** Calls `listener` after every {@link configure}; returns the unsubscribe function. */
export function onConfigChange(listener: () => void): () => void {
  changes.addEventListener('change', listener);
  return () => changes.removeEventListener('change', listener);
}

/**
 * Tells the host that the session of `provider` is over, once per session: every element on the page fails at about
 * the same moment with the same token, and the host should prompt for sign-in once, not once per element or request.
 *
 * @param token the token Voxdesk refused, or none when the provider gave none
 */
export function sessionExpired(provider: TokenProvider, detail: SessionExpiredDetail, token?: string): void {
  if (expired && expired.provider === provider && expired.token === token) return;
  expired = { provider, token };
  current.onSessionExpired?.(detail);
  globalThis.dispatchEvent?.(new CustomEvent<SessionExpiredDetail>(SESSION_EXPIRED_EVENT, { detail }));
}

/** The provider gave `token`: unless it is the one already refused, a new session began (the user signed in anew). */
export function sessionAlive(provider: TokenProvider, token: string): void {
  if (expired?.provider === provider && expired.token !== token) expired = undefined;
}

/** The API base without a trailing slash: the given one, the configured one, or the page's origin. */
export function resolveApiBase(attribute?: string | null): string {
  const base = attribute || current.apiBase || globalThis.location?.origin || '';
  return base.replace(/\/+$/, '');
}
