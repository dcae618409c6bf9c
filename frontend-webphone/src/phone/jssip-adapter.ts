import * as JsSIP from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { IncomingRequest } from 'jssip/lib/SIPMessage';
import type { RTCSessionEvent } from 'jssip/lib/UA';
import type { SipAccount, SipAgent, SipAgentFactory, SipAgentListener, SipCall, SipCallListener } from './sip';

const NO_LISTENER: SipCallListener = {
  progress() {},
  accepted() {},
  ended() {},
  dtmfReceived() {},
  transferred() {},
  remoteStream() {},
  mediaFailed() {},
};

/** What JsSIP passes with an in-dialog REFER. */
interface ReferEvent {
  request: { refer_to?: { uri?: { user?: string } } };
  accept(initCallback: (session: RTCSession) => void, options: object): void;
}

const AUDIO_ONLY: MediaStreamConstraints = { audio: true, video: false };

/** A {@link SipCall} over a JsSIP `RTCSession`. */
class JsSipCall implements SipCall {
  readonly direction: 'incoming' | 'outgoing';
  private listener: SipCallListener = NO_LISTENER;
  private session!: RTCSession;
  private readonly pcConfig: RTCConfiguration;

  constructor(direction: 'incoming' | 'outgoing', pcConfig: RTCConfiguration) {
    this.direction = direction;
    this.pcConfig = pcConfig;
  }

  /** The handlers JsSIP must have before the session starts (it emits `peerconnection` at once on a call). */
  handlers(): Record<string, (event: never) => void> {
    return {
      peerconnection: (event: { peerconnection: RTCPeerConnection }) => this.watchTracks(event.peerconnection),
      progress: () => this.listener.progress(),
      accepted: () => this.listener.accepted(),
      ended: (event: { cause: string }) => this.listener.ended(event.cause),
      failed: (event: { cause: string }) => this.listener.ended(event.cause),
      newDTMF: (event: { originator: string; dtmf: { tone: string } }) => {
        if (event.originator === 'remote') {
          this.listener.dtmfReceived(String(event.dtmf.tone));
        }
      },
      getusermediafailed: (error: unknown) => this.listener.mediaFailed(error),
      refer: (event: ReferEvent) => this.followRefer(event),
    } as Record<string, (event: never) => void>;
  }

  attach(session: RTCSession, subscribe: boolean): void {
    this.session = session;
    if (subscribe) {
      for (const [name, handler] of Object.entries(this.handlers())) {
        session.on(name as 'ended', handler as never);
      }
    }
  }

  get remoteNumber(): string {
    return this.session.remote_identity?.uri?.user ?? '';
  }

  get remoteName(): string {
    return this.session.remote_identity?.display_name ?? '';
  }

  get peerConnection(): RTCPeerConnection | null {
    return (this.session.connection as RTCPeerConnection | undefined) ?? null;
  }

  setListener(listener: SipCallListener): void {
    this.listener = listener;
  }

  answer(): void {
    this.session.answer({ mediaConstraints: AUDIO_ONLY, pcConfig: this.pcConfig });
  }

  reject(busy = false): void {
    this.session.terminate(busy ? { status_code: 486, reason_phrase: 'Busy Here' } : { status_code: 603, reason_phrase: 'Decline' });
  }

  hangup(): void {
    if (!this.session.isEnded()) {
      this.session.terminate();
    }
  }

  hold(): Promise<void> {
    return this.reInvite((done) => this.session.hold({}, done));
  }

  resume(): Promise<void> {
    return this.reInvite((done) => this.session.unhold({}, done));
  }

  mute(on: boolean): void {
    if (on) {
      this.session.mute({ audio: true });
    } else {
      this.session.unmute({ audio: true });
    }
  }

  sendDtmf(tones: string): void {
    this.session.sendDTMF(tones, { transportType: 'INFO' as never });
  }

  refer(target: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.session.refer(target, {
        eventHandlers: {
          requestSucceeded: () => resolve(),
          requestFailed: (event: { cause?: string }) => reject(new Error(event?.cause || 'The transfer was refused.')),
        },
      });
    });
  }

  /** Being transferred: call the REFER's target (JsSIP already answered 202 and will NOTIFY the outcome). */
  private followRefer(event: ReferEvent): void {
    const next = new JsSipCall('outgoing', this.pcConfig);
    let placed = false;
    event.accept(
      (session) => {
        next.attach(session, false);
        placed = true;
      },
      { mediaConstraints: AUDIO_ONLY, pcConfig: this.pcConfig, eventHandlers: next.handlers() },
    );
    if (placed) {
      this.listener.transferred(next);
    }
  }

  /**
   * JsSIP fires its local hold/unhold event before the re-INVITE completes, and a second re-INVITE started
   * before that returns false silently: callers must wait for the completion callback, which this promise is.
   */
  private reInvite(send: (done: () => void) => boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const ended = () => reject(new Error('The call ended before the re-INVITE completed.'));
      this.session.once('ended', ended);
      this.session.once('failed', ended);
      const sent = send(() => {
        this.session.off('ended', ended);
        this.session.off('failed', ended);
        resolve();
      });
      if (!sent) {
        this.session.off('ended', ended);
        this.session.off('failed', ended);
        reject(new Error('The call cannot be put on hold or resumed right now.'));
      }
    });
  }

  private watchTracks(connection: RTCPeerConnection): void {
    connection.addEventListener('track', (event: RTCTrackEvent) => {
      const stream = event.streams[0] ?? new MediaStream([event.track]);
      this.listener.remoteStream(stream);
    });
  }
}

/** A {@link SipAgent} over a JsSIP `UA`. */
class JsSipAgent implements SipAgent {
  private readonly ua: JsSIP.UA;
  private readonly pcConfig: RTCConfiguration;

  constructor(account: SipAccount, listener: SipAgentListener) {
    this.pcConfig = { iceServers: account.iceServers ?? [] };
    const socket = new JsSIP.WebSocketInterface(account.websocketUrl);
    this.ua = new JsSIP.UA({
      sockets: [socket],
      uri: account.uri,
      authorization_user: account.authorizationUser,
      password: account.password,
      ...(account.realm ? { realm: account.realm } : {}),
      ...(account.displayName ? { display_name: account.displayName } : {}),
      register: true,
      session_timers: false,
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 30,
      user_agent: 'Voxdesk webphone',
    });
    this.ua.on('connected', () => listener.connected());
    this.ua.on('disconnected', () => listener.disconnected());
    this.ua.on('registered', () => listener.registered());
    this.ua.on('unregistered', () => listener.unregistered());
    this.ua.on('registrationFailed', (event: { cause?: unknown }) => listener.registrationFailed(String(event.cause ?? '')));
    this.ua.on('newRTCSession', (event: RTCSessionEvent) => {
      if (event.originator !== 'remote') {
        return;
      }
      const call = new JsSipCall('incoming', this.pcConfig);
      call.attach(event.session, true);
      const request = event.request as IncomingRequest;
      listener.incoming(call, (name) => (request.hasHeader(name) ? request.getHeader(name) : undefined));
    });
  }

  start(): void {
    this.ua.start();
  }

  stop(): void {
    this.ua.stop();
  }

  register(): void {
    this.ua.register();
  }

  reconnect(): void {
    this.ua.stop();
    this.ua.start();
  }

  isConnected(): boolean {
    return this.ua.isConnected();
  }

  isRegistered(): boolean {
    return this.ua.isRegistered();
  }

  call(target: string, listener: SipCallListener): SipCall {
    const call = new JsSipCall('outgoing', this.pcConfig);
    call.setListener(listener);
    const session = this.ua.call(target, {
      mediaConstraints: AUDIO_ONLY,
      pcConfig: this.pcConfig,
      eventHandlers: call.handlers(),
    });
    call.attach(session, false);
    return call;
  }
}

/** Creates JsSIP user agents; the phone's default {@link SipAgentFactory}. */
export const jssipAgentFactory: SipAgentFactory = (account, listener) => new JsSipAgent(account, listener);
