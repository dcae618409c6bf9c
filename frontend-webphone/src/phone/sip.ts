import type { HeaderReader } from './auto-answer';

/** What the phone needs to register: the shape of `GET /api/me/webphone`, plus optional ICE servers. */
export interface SipAccount {
  uri: string;
  authorizationUser: string;
  password: string;
  realm?: string | null;
  websocketUrl: string;
  displayName?: string | null;
  extension?: string | null;
  /** STUN/TURN servers for calls beyond the local network; none by default. */
  iceServers?: RTCIceServer[];
}

/** Notifications from a {@link SipAgent}. */
export interface SipAgentListener {
  connected(): void;
  disconnected(): void;
  registered(): void;
  unregistered(): void;
  registrationFailed(cause: string): void;
  incoming(call: SipCall, header: HeaderReader): void;
}

/** Notifications from a {@link SipCall}. */
export interface SipCallListener {
  progress(): void;
  accepted(): void;
  ended(cause: string): void;
  dtmfReceived(tone: string): void;
  /** The far end transferred us (REFER): `next` is the new call, already placed. */
  transferred(next: SipCall): void;
  remoteStream(stream: MediaStream): void;
  mediaFailed(error: unknown): void;
}

/** A SIP user agent as the phone uses it, independent of the SIP library. */
export interface SipAgent {
  start(): void;
  stop(): void;
  /** Sends a fresh REGISTER over the current connection. */
  register(): void;
  /** Drops the connection and connects again at once instead of waiting for the library's back-off. */
  reconnect(): void;
  isConnected(): boolean;
  isRegistered(): boolean;
  call(target: string, listener: SipCallListener): SipCall;
}

/** One call, independent of the SIP library. */
export interface SipCall {
  readonly direction: 'incoming' | 'outgoing';
  readonly remoteNumber: string;
  readonly remoteName: string;
  readonly peerConnection: RTCPeerConnection | null;
  setListener(listener: SipCallListener): void;
  answer(): void;
  /** Declines a ringing incoming call: 486 Busy Here when `busy`, else 603 Decline. */
  reject(busy?: boolean): void;
  hangup(): void;
  /** Resolves once the re-INVITE completed; rejects when it could not be sent. */
  hold(): Promise<void>;
  /** Resolves once the re-INVITE completed; rejects when it could not be sent. */
  resume(): Promise<void>;
  mute(on: boolean): void;
  sendDtmf(tones: string): void;
  /** Blind transfer; resolves when the far end accepted the REFER, rejects when it refused. */
  refer(target: string): Promise<void>;
}

/** Creates a {@link SipAgent} for an account. */
export type SipAgentFactory = (account: SipAccount, listener: SipAgentListener) => SipAgent;

/** Makes a dialled string acceptable as a SIP target: SIP URIs stay, phone numbers lose their punctuation. */
export function dialTarget(target: string): string {
  const trimmed = target.trim();
  if (/^sips?:/i.test(trimmed) || trimmed.includes('@')) {
    return trimmed;
  }
  return trimmed.replace(/[\s().\-/]/g, '');
}
