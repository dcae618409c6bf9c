/** A problem the phone shows in plain words (the `data-problem` of `diagnostics`). */
export type Problem =
  | 'microphone-denied'
  | 'microphone-missing'
  | 'microphone-busy'
  | 'server-unreachable'
  | 'wrong-password'
  | 'registration-failed'
  | SettingsProblem;

/**
 * Why the phone got no registration settings from `GET /api/me/webphone`: one per answer that endpoint can give
 * (its problem `type` first, then its status), so the phone says the true reason.
 */
export type SettingsProblem =
  | 'no-extension'
  | 'extension-inactive'
  | 'no-sip-password'
  | 'no-sip-server'
  | 'signed-out'
  | 'forbidden'
  | 'rate-limited'
  | 'voxdesk-unavailable'
  | 'voxdesk-unreachable'
  | 'voxdesk-error';

const PROBLEM_TYPES: Record<string, SettingsProblem> = {
  'urn:voxdesk:problem:no-extension': 'no-extension',
  'urn:voxdesk:problem:extension-inactive': 'extension-inactive',
  'urn:voxdesk:problem:no-sip-password': 'no-sip-password',
  'urn:voxdesk:problem:no-sip-server': 'no-sip-server',
};

/** The settings problem for an answer of `GET /api/me/webphone` (status 0: no answer at all). */
export function settingsProblem(status: number, type: string | undefined): SettingsProblem {
  const typed = type ? PROBLEM_TYPES[type] : undefined;
  if (typed) {
    return typed;
  }
  if (status === 0) {
    return 'voxdesk-unreachable';
  }
  if (status === 401) {
    return 'signed-out';
  }
  if (status === 403) {
    return 'forbidden';
  }
  if (status === 404) {
    return 'no-extension';
  }
  if (status === 429) {
    return 'rate-limited';
  }
  if (status === 502 || status === 503 || status === 504) {
    return 'voxdesk-unavailable';
  }
  return 'voxdesk-error';
}

/** Why a registration failed: the problem, plus the i18n key of the words that explain it. */
export interface RegistrationFailure {
  problem: Extract<Problem, 'server-unreachable' | 'wrong-password' | 'registration-failed'>;
  messageKey: ReasonMessageKey;
  cause: string;
}

/** i18n keys of the plain-words explanations below. */
export type ReasonMessageKey =
  | 'reason.wrongPassword'
  | 'reason.unreachable'
  | 'reason.timeout'
  | 'reason.notFound'
  | 'reason.failed';

/** JsSIP's cause strings (`JsSIP.C.causes`), spelled out so the mapping needs no JsSIP import. */
export const SIP_CAUSES = {
  CONNECTION_ERROR: 'Connection Error',
  REQUEST_TIMEOUT: 'Request Timeout',
  AUTHENTICATION_ERROR: 'Authentication Error',
  REJECTED: 'Rejected',
  NOT_FOUND: 'Not Found',
  SIP_FAILURE_CODE: 'SIP Failure Code',
  INTERNAL_ERROR: 'Internal Error',
  BUSY: 'Busy',
  UNAVAILABLE: 'Unavailable',
  CANCELED: 'Canceled',
  NO_ANSWER: 'No Answer',
  BYE: 'Terminated',
  USER_DENIED_MEDIA_ACCESS: 'User Denied Media Access',
  WEBRTC_ERROR: 'WebRTC Error',
} as const;

/** Pseudo-cause of a call that ended because the far end transferred it elsewhere. */
export const TRANSFERRED = 'Transferred';

/** Pseudo-cause used when the WebSocket closed before the first registration. */
export const DISCONNECTED_BEFORE_REGISTERING = 'Disconnected';

/** Maps a JsSIP registration failure cause to a problem and its words. */
export function registrationFailure(cause: string | null | undefined): RegistrationFailure {
  const value = cause ?? '';
  switch (value) {
    // A 403 to REGISTER is how several PBXs answer bad credentials after the challenge.
    case SIP_CAUSES.AUTHENTICATION_ERROR:
    case SIP_CAUSES.REJECTED:
      return { problem: 'wrong-password', messageKey: 'reason.wrongPassword', cause: value };
    case SIP_CAUSES.CONNECTION_ERROR:
    case DISCONNECTED_BEFORE_REGISTERING:
      return { problem: 'server-unreachable', messageKey: 'reason.unreachable', cause: value };
    case SIP_CAUSES.REQUEST_TIMEOUT:
      return { problem: 'server-unreachable', messageKey: 'reason.timeout', cause: value };
    case SIP_CAUSES.NOT_FOUND:
      return { problem: 'registration-failed', messageKey: 'reason.notFound', cause: value };
    default:
      return { problem: 'registration-failed', messageKey: 'reason.failed', cause: value };
  }
}

/** Outcome of the extension settings' Test button (`data-outcome`). */
export type ExtensionTestOutcome = 'registered' | 'wrong-password' | 'unreachable' | 'failed';

/** The Test button's outcome for a registration failure. */
export function testOutcome(failure: RegistrationFailure): ExtensionTestOutcome {
  switch (failure.problem) {
    case 'wrong-password':
      return 'wrong-password';
    case 'server-unreachable':
      return 'unreachable';
    default:
      return 'failed';
  }
}

/** Maps a getUserMedia / permission error to the microphone problem it means. */
export function microphoneProblem(error: unknown): Extract<Problem, `microphone-${string}`> {
  const name = error && typeof error === 'object' && 'name' in error ? String((error as { name: unknown }).name) : '';
  switch (name) {
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'microphone-missing';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'microphone-busy';
    default:
      // NotAllowedError, SecurityError and JsSIP's own "User Denied Media Access" all mean no permission.
      return 'microphone-denied';
  }
}

/** A call's end cause as a short key for `voxdesk-call-ended` and the i18n words (`cause.<key>`). */
export type EndCause =
  | 'hangup'
  | 'busy'
  | 'rejected'
  | 'no-answer'
  | 'unavailable'
  | 'not-found'
  | 'canceled'
  | 'connection-lost'
  | 'microphone'
  | 'transferred'
  | 'failed';

/** Maps a JsSIP session end cause to an {@link EndCause}. */
export function endCause(cause: string | null | undefined): EndCause {
  switch (cause) {
    case SIP_CAUSES.BYE:
      return 'hangup';
    case SIP_CAUSES.BUSY:
      return 'busy';
    case SIP_CAUSES.REJECTED:
      return 'rejected';
    case SIP_CAUSES.NO_ANSWER:
      return 'no-answer';
    case SIP_CAUSES.UNAVAILABLE:
      return 'unavailable';
    case SIP_CAUSES.NOT_FOUND:
      return 'not-found';
    case SIP_CAUSES.CANCELED:
      return 'canceled';
    case SIP_CAUSES.CONNECTION_ERROR:
    case SIP_CAUSES.REQUEST_TIMEOUT:
      return 'connection-lost';
    case SIP_CAUSES.USER_DENIED_MEDIA_ACCESS:
      return 'microphone';
    case TRANSFERRED:
      return 'transferred';
    default:
      return 'failed';
  }
}
