/** Status of a call record as the backend reports it. */
export type CallStatus =
  | 'RINGING'
  | 'ANSWERED'
  | 'ON_HOLD'
  | 'COMPLETED'
  | 'BUSY'
  | 'NO_ANSWER'
  | 'FAILED'
  | 'CANCELLED'
  | 'VOICEMAIL'
  | 'TRANSFERRED'
  | 'MISSED';

/** A call record (`GET /api/calls/{id}`, STOMP `/user/queue/calls`). */
export interface CallRecord {
  id: string;
  /** Only on the answer to a click-to-call: set when the number is on the tenant's do-not-call list. */
  warning?: string | null;
  status: CallStatus | string;
  outcome?: string | null;
  direction?: 'outbound' | 'inbound' | string;
  /** absent on an inbound call no agent has taken */
  agent?: string | null;
  agentName?: string | null;
  agentExtension?: string | null;
  number: string;
  contact?: string | null;
  ticket?: string | null;
  provider?: string;
  requestedAt?: string;
  agentAnsweredAt?: string | null;
  answeredAt?: string | null;
  endedAt?: string | null;
  holdSeconds?: number;
  talkSeconds?: number;
  hangupCause?: string | null;
  failureReason?: string | null;
  endingRevised?: boolean;
  /** the end was never reported: endedAt and the duration are Voxdesk's estimate */
  endingEstimated?: boolean;
  recorded?: boolean;
  note?: string | null;
  disposition?: string | null;
  /** the call's latest transfer, in progress or not */
  transfer?: CallTransfer | null;
  /** an inbound caller's name as the network gave it */
  callerName?: string | null;
  /** the number an inbound caller dialled */
  dialled?: string | null;
  /** the queue an inbound call's number sent it to */
  queue?: string | null;
  /** the provider's id of the call */
  providerCallId?: string | null;
}

/** An agent's presence (`GET/PUT /api/me/presence`, STOMP `/user/queue/presence`). */
export interface AgentPresence {
  user?: string;
  username?: string;
  /** what the agent is now: the chosen state, or `on-call` / `wrap-up` while those last */
  state: PresenceCode | string;
  chosen: 'available' | 'away' | 'offline' | string;
  reason?: string | null;
}

/** A presence code: the chosen state, or `on-call` / `wrap-up` while those last. */
export type PresenceCode = 'available' | 'away' | 'offline' | 'on-call' | 'wrap-up';

/** A tenant admin's live queue board (`GET /api/queue-board`), as of the server's clock `at`. */
export interface QueueBoard {
  tenantId: string;
  /** the server's time of the snapshot (ISO-8601); waits are measured against it, not the browser's clock */
  at: string;
  queues: QueueBoardQueue[];
}

/** One queue on the board: its waiting callers, its agents and today's counts. */
export interface QueueBoardQueue {
  id: string;
  name: string;
  /** longest waiting first */
  waiting: QueueBoardCaller[];
  agents: QueueBoardAgent[];
  today: QueueBoardToday;
}

/** A caller waiting in a queue since `queuedAt`. */
export interface QueueBoardCaller {
  callId: string;
  /** empty when the caller withheld it */
  number: string;
  callerName?: string | null;
  contactName?: string | null;
  queuedAt: string;
  /** usernames of the agents whose phones ring for this caller now */
  ringing: string[];
}

/** A member of a queue with their presence and the call they are on, if any. */
export interface QueueBoardAgent {
  userId: string;
  username: string;
  presence: PresenceCode | string;
  /** the away reason */
  reason?: string | null;
  callId?: string | null;
  callNumber?: string | null;
}

/** A queue's inbound calls since midnight. */
export interface QueueBoardToday {
  offered: number;
  answered: number;
  missed: number;
  answeredWithin20s: number;
  /** null before the first call of the day ended waiting */
  averageWaitSeconds: number | null;
}

/** Who is calling, pushed on STOMP `/user/queue/offers` just before the agent's phone rings for an inbound caller. */
export interface IncomingOffer {
  call: string;
  offer: number;
  number: string;
  callerName?: string | null;
  contact?: string | null;
  contactName?: string | null;
  ticket?: string | null;
  ticketSubject?: string | null;
  queue?: string | null;
  queueName?: string | null;
  dialled?: string | null;
  /** when the caller started waiting (ISO-8601) */
  waitingSince: string;
}

/** A queue (department) of the tenant, as listed by `GET /api/queues`; a call can be transferred to it. */
export interface Queue {
  id: string;
  name: string;
  /** user ids of the queue's agents */
  memberIds?: string[];
  createdAt?: string;
  updatedAt?: string;
}

/** Where a transfer stands, as the backend derives it from what the PBX reported about the target. */
export type TransferState = 'RINGING' | 'ANSWERED' | 'COMPLETED' | 'CANCELLED' | 'BUSY' | 'NO_ANSWER' | 'FAILED';

/** The latest transfer of a call. */
export interface CallTransfer {
  attempt: number;
  mode: 'BLIND' | 'ATTENDED' | string;
  destination: string;
  state: TransferState | string;
  /** what happened, in English, for logs and tooltips */
  detail?: string | null;
}

/** The user's own extension as read back (`GET /api/me/extension`); never carries the password. */
export interface Extension {
  extension: string;
  username?: string | null;
  domain?: string | null;
  websocketUrl?: string | null;
  displayName?: string | null;
  active: boolean;
  passwordSet?: boolean;
  updatedAt?: string;
}

/** Body of `PUT /api/me/extension`; a null or missing password keeps the stored one. */
export interface ExtensionUpdate {
  extension: string;
  password?: string | null;
  username?: string | null;
  domain?: string | null;
  websocketUrl?: string | null;
  displayName?: string | null;
  active: boolean;
}

/** Defaults derived from the tenant's enabled provider connection. */
export interface ExtensionDefaults {
  domain: string | null;
  websocketUrl: string | null;
  source: 'api4com' | 'asterisk' | null;
}

/** Registration settings of the webphone (`GET /api/me/webphone`), password included. */
export interface WebphoneSettings {
  uri: string;
  authorizationUser: string;
  password: string;
  realm?: string | null;
  websocketUrl: string;
  displayName?: string | null;
  extension?: string | null;
}

/** A provider kind in the API's lowercase spelling, named by its connector (`asterisk`, `api4com`, …). */
export type ProviderKind = string;

/** One setting a connector declares (`GET /api/provider-kinds`): the form renders and checks it from this. */
export interface ProviderSettingDescription {
  name: string;
  label: string;
  type: 'TEXT' | 'URL' | 'NUMBER' | 'FLAG';
  required: boolean;
  /** the connection's secret: write-only, kept when left empty */
  secret: boolean;
  defaultValue: string | null;
  example: string | null;
  /** a Java regular expression the whole value must match, and what it asks for in words */
  pattern: string | null;
  rule: string | null;
  min: number | null;
  max: number | null;
}

/** An installed connector's declaration: its kind, settings (secret included) and capabilities. */
export interface ProviderKindDescription {
  kind: ProviderKind;
  displayName: string;
  settings: ProviderSettingDescription[];
  capabilities: string[];
}

/** A tenant's provider connection as the API shows it (secret never included). */
export interface ProviderConnection {
  id: string;
  kind: ProviderKind;
  name: string;
  enabled: boolean;
  settings: Record<string, string>;
  secretSet: boolean;
  createdAt?: string;
  updatedAt?: string;
}

/** Body of `POST`/`PUT /api/provider-connections`; a null secret keeps the stored one on a change. */
export interface ProviderConnectionRequest {
  kind: ProviderKind;
  name: string;
  enabled: boolean;
  settings: Record<string, string>;
  secret?: string | null;
}

/** Result of `POST /api/provider-connections/{id}/test`. */
export interface ConnectionCheck {
  ok: boolean;
  summary: string;
  steps: { name: string; ok: boolean; detail: string }[];
  durationMillis: number;
}

/** Where a campaign is: `draft → scheduled → running ⇄ paused → completed | cancelled`. */
export type CampaignState = 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';

/** What a campaign does when an answering machine or voicemail picks up. */
export type MachineHandling = 'hang-up' | 'leave-message';

/** What a key of a campaign's IVR menu does. */
export type IvrAction = 'repeat' | 'opt-out' | 'hang-up' | 'transfer-to-queue' | 'transfer-to-user';

/** How often a contact is tried again after one outcome. */
export interface RetryRule {
  maxAttempts: number;
  delayMinutes: number;
}

/** A campaign's retry rule per outcome that may be tried again. */
export interface CampaignRetries {
  busy: RetryRule;
  noAnswer: RetryRule;
  failed: RetryRule;
  machine: RetryRule;
}

/** A campaign's calling window as the API shows it: days as `MONDAY`…, times as `HH:mm[:ss]`, an IANA zone. */
export interface CampaignWindowDetails {
  days: string[];
  from: string;
  until: string;
  zone: string;
}

/**
 * One key of a campaign's IVR as the API shows it; the ids are read under the request's names (`audioId`, `queueId`,
 * `userId`) or the stored ones (`audio`, `queue`, `user`), whichever the server sends.
 */
export interface CampaignIvrOptionDetails {
  action: IvrAction | string;
  audio?: string | null;
  audioId?: string | null;
  queue?: string | null;
  queueId?: string | null;
  user?: string | null;
  userId?: string | null;
}

/** A campaign's IVR menu as the API shows it (see {@link CampaignIvrOptionDetails} for the names read). */
export interface CampaignIvrDetails {
  prompt?: string | null;
  promptAudioId?: string | null;
  timeoutSeconds: number;
  maxInvalid: number;
  invalidPrompt?: string | null;
  invalidAudioId?: string | null;
  timeoutPrompt?: string | null;
  timeoutAudioId?: string | null;
  options: Record<string, CampaignIvrOptionDetails>;
}

/** A voice campaign as `GET /api/campaigns` lists it. */
export interface CampaignDetails {
  id: string;
  name: string;
  /** the provider connection that places the calls */
  connection: string;
  /** the audio played to each person reached */
  message: string;
  callerId: string;
  contacts: { tags: string[]; query: string };
  concurrency: number;
  window: CampaignWindowDetails;
  retries: CampaignRetries;
  machines: MachineHandling | string;
  ivr: CampaignIvrDetails | null;
  state: CampaignState | string;
  scheduledAt?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
  /** fixed when the campaign starts, 0 before */
  totalContacts: number;
  /** the dialer's latest word on trouble, such as the PBX refusing calls */
  dialerNote?: string | null;
  createdBy?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** One key's action in the body of `POST`/`PUT /api/campaigns`; each action carries only the id it needs. */
export interface IvrOptionRequest {
  action: IvrAction;
  /** opt-out: the confirmation played before hanging up (`null`: the PBX's goodbye) */
  audioId?: string | null;
  /** transfer-to-queue */
  queueId?: string;
  /** transfer-to-user: the user's Keycloak id */
  userId?: string;
}

/** The IVR menu in the body of `POST`/`PUT /api/campaigns`. */
export interface IvrRequest {
  promptAudioId: string | null;
  timeoutSeconds: number;
  maxInvalid: number;
  invalidAudioId: string | null;
  timeoutAudioId: string | null;
  /** by key: `0`-`9`, `*`, `#` */
  options: Record<string, IvrOptionRequest>;
}

/** Body of `POST /api/campaigns` and `PUT /api/campaigns/{id}`. */
export interface CampaignRequest {
  name: string;
  connectionId: string;
  messageAudioId: string;
  callerId: string;
  contacts: { tags: string[]; query: string };
  concurrency: number;
  /** days as `mon`…`sun`, times as `HH:mm` */
  window: { days: string[]; from: string; until: string; timeZone: string };
  machines: MachineHandling;
  /** `null`: no menu, the call ends with the message */
  ivr: IvrRequest | null;
  /** sent back unchanged on a change (the form does not edit them); left out on creation for the server's defaults */
  retries?: CampaignRetries;
}

/** A kind of audio in the tenant's library. */
export type AudioKind = 'campaign-message' | 'ivr-prompt' | 'music-on-hold';

/** An item of the tenant's audio library (`GET /api/audio`). */
export interface AudioItem {
  id: string;
  name: string;
  kind: AudioKind | string;
  source: 'upload' | 'speech' | string;
  format?: string | null;
  durationMillis?: number;
  sizeBytes?: number;
  /** the text it says, for synthesised speech */
  text?: string | null;
  language?: string | null;
  createdBy?: string;
  createdAt?: string;
}

/** Body of `POST /api/audio/speech`: a text to be spoken in one of `GET /api/audio/languages`. */
export interface SpeechRequest {
  /** how the library lists it; the text's beginning when left out */
  name?: string;
  kind: AudioKind;
  text: string;
  language: string;
}

/** A user of the tenant who has signed in (`GET /api/tenants/me/members`). */
export interface TenantMember {
  /** the identity provider's subject */
  id: string;
  username: string;
  roles: string[];
  firstSeenAt?: string;
  lastSeenAt?: string;
}

/** Who the caller is and which tenant they work for (`GET /api/tenants/me`). */
export interface CurrentUser {
  userId: string;
  username: string;
  roles: string[];
  /** `null` in the platform scope */
  tenant: { id: string; name?: string } | null;
}

/** One hour (UTC) in which a campaign placed calls. */
export interface CampaignReportHour {
  hour: string;
  attempts: number;
  answered: number;
}

/**
 * What a campaign did so far (`GET /api/campaigns/{id}/report`, and every message of
 * `/topic/tenants/<tenant>/campaigns`).
 */
export interface CampaignReport {
  campaign: string;
  name?: string;
  state: CampaignState | string;
  contacts: number;
  /** contacts by outcome (`answered`, `busy`, …) and those not ended yet (`pending`, `calling`) */
  byOutcome: Record<string, number>;
  percentByOutcome?: Record<string, number>;
  attempts: number;
  attemptsPerContact?: number;
  inProgress: number;
  /** calls placed in the last minute; absent from older servers */
  callsLastMinute?: number;
  talkSeconds?: number;
  averageTalkSeconds?: number;
  answerRateByHour?: CampaignReportHour[];
  /** IVR keys: how many attempts pressed each */
  byKey?: Record<string, number>;
}
