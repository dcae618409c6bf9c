import type {
  CampaignDetails,
  CampaignIvrDetails,
  CampaignRequest,
  CampaignRetries,
  CampaignState,
  IvrAction,
  IvrOptionRequest,
  IvrRequest,
  MachineHandling,
} from '../api/types';
import type { MessageKey } from '../i18n';

/** The keys an IVR menu can use, in keypad order. */
export const IVR_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** A key of an IVR menu. */
export type IvrKey = (typeof IVR_KEYS)[number];

/** What each key may do, in the order the editor offers them. */
export const IVR_ACTIONS: readonly IvrAction[] = ['repeat', 'opt-out', 'hang-up', 'transfer-to-queue', 'transfer-to-user'];

/** Days as the API writes them in requests, Monday first. */
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A day of the calling window. */
export type Day = (typeof DAYS)[number];

/** Concurrency the server accepts at most, whatever the connection. */
export const MAX_CONCURRENCY = 1000;

/** A key's name in test ids and field names: `*` and `#` are awkward in selectors, as on the phone's dial pad. */
export function keyName(key: string): string {
  return key === '*' ? 'star' : key === '#' ? 'hash' : key;
}

/** One key of the menu as the form holds it: every id the actions may need, so switching back and forth keeps them. */
export interface IvrOptionDraft {
  /** empty: the key is not in the menu */
  action: IvrAction | '';
  audioId: string;
  queueId: string;
  userId: string;
}

/** The IVR menu as the form holds it: numbers as typed, empty ids for "none". */
export interface IvrDraft {
  promptAudioId: string;
  timeoutSeconds: string;
  maxInvalid: string;
  invalidAudioId: string;
  timeoutAudioId: string;
  options: Record<IvrKey, IvrOptionDraft>;
}

/** A campaign as the form holds it: text as typed, so that the form can say what is wrong before sending. */
export interface CampaignDraft {
  /** `null` for a campaign not saved yet */
  id: string | null;
  state: CampaignState | string | null;
  name: string;
  connectionId: string;
  messageAudioId: string;
  callerId: string;
  /** comma-separated, as typed */
  tags: string;
  query: string;
  concurrency: string;
  days: Day[];
  from: string;
  until: string;
  timeZone: string;
  machines: MachineHandling;
  ivrEnabled: boolean;
  ivr: IvrDraft;
  /** the stored rules, sent back unchanged on a change: a running campaign refuses any other */
  retries: CampaignRetries | null;
}

function emptyOption(): IvrOptionDraft {
  return { action: '', audioId: '', queueId: '', userId: '' };
}

function emptyOptions(): Record<IvrKey, IvrOptionDraft> {
  return Object.fromEntries(IVR_KEYS.map((key) => [key, emptyOption()])) as Record<IvrKey, IvrOptionDraft>;
}

/** A menu to start from when the IVR is turned on: the server's defaults, 1 repeats, 9 opts out. */
export function newIvrDraft(): IvrDraft {
  const options = emptyOptions();
  options['1'] = { ...emptyOption(), action: 'repeat' };
  options['9'] = { ...emptyOption(), action: 'opt-out' };
  return { promptAudioId: '', timeoutSeconds: '5', maxInvalid: '2', invalidAudioId: '', timeoutAudioId: '', options };
}

/** A new campaign: weekdays 09:00–18:00 in `timeZone`, hang up on machines, no menu. */
export function newCampaignDraft(timeZone: string): CampaignDraft {
  return {
    id: null,
    state: null,
    name: '',
    connectionId: '',
    messageAudioId: '',
    callerId: '',
    tags: '',
    query: '',
    concurrency: '5',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    from: '09:00',
    until: '18:00',
    timeZone,
    machines: 'hang-up',
    ivrEnabled: false,
    ivr: newIvrDraft(),
    retries: null,
  };
}

/** `HH:mm` of the API's `HH:mm` or `HH:mm:ss`, which is what a time input holds. */
function hhmm(time: string | undefined): string {
  return /^\d{2}:\d{2}/.test(time ?? '') ? time!.slice(0, 5) : '';
}

/** `mon` of `MONDAY` (how the details write days) or of `mon` (how requests do). */
function dayOf(value: string): Day | undefined {
  const short = value.slice(0, 3).toLowerCase();
  return DAYS.find((day) => day === short);
}

function isAction(value: string): value is IvrAction {
  return (IVR_ACTIONS as readonly string[]).includes(value);
}

function ivrDraftOf(ivr: CampaignIvrDetails): IvrDraft {
  const options = emptyOptions();
  for (const [key, option] of Object.entries(ivr.options ?? {})) {
    if ((IVR_KEYS as readonly string[]).includes(key) && isAction(String(option.action))) {
      options[key as IvrKey] = {
        action: option.action as IvrAction,
        audioId: option.audioId ?? option.audio ?? '',
        queueId: option.queueId ?? option.queue ?? '',
        userId: option.userId ?? option.user ?? '',
      };
    }
  }
  return {
    promptAudioId: ivr.promptAudioId ?? ivr.prompt ?? '',
    timeoutSeconds: String(ivr.timeoutSeconds ?? 5),
    maxInvalid: String(ivr.maxInvalid ?? 2),
    invalidAudioId: ivr.invalidAudioId ?? ivr.invalidPrompt ?? '',
    timeoutAudioId: ivr.timeoutAudioId ?? ivr.timeoutPrompt ?? '',
    options,
  };
}

/** The form's copy of a stored campaign. */
export function draftOfCampaign(campaign: CampaignDetails): CampaignDraft {
  const days = (campaign.window?.days ?? []).map(dayOf).filter((day): day is Day => !!day);
  return {
    id: campaign.id,
    state: campaign.state,
    name: campaign.name ?? '',
    connectionId: campaign.connection ?? '',
    messageAudioId: campaign.message ?? '',
    callerId: campaign.callerId ?? '',
    tags: (campaign.contacts?.tags ?? []).join(', '),
    query: campaign.contacts?.query ?? '',
    concurrency: String(campaign.concurrency ?? ''),
    days: DAYS.filter((day) => days.includes(day)),
    from: hhmm(campaign.window?.from),
    until: hhmm(campaign.window?.until),
    timeZone: campaign.window?.zone ?? '',
    machines: campaign.machines === 'leave-message' ? 'leave-message' : 'hang-up',
    ivrEnabled: !!campaign.ivr,
    ivr: campaign.ivr ? ivrDraftOf(campaign.ivr) : newIvrDraft(),
    retries: campaign.retries ?? null,
  };
}

/** The tags as typed, split at commas, blanks dropped, in the order typed. */
export function tagsOf(typed: string): string[] {
  return typed
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
}

/** The caller id without the spaces, dots, dashes and parentheses people type in numbers. */
export function callerIdOf(typed: string): string {
  return typed.replace(/[\s.()/-]/g, '');
}

function isWholeNumber(text: string): boolean {
  return /^[0-9]{1,9}$/.test(text.trim());
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function optionRequest(option: IvrOptionDraft): IvrOptionRequest {
  switch (option.action) {
    case 'opt-out':
      return { action: 'opt-out', audioId: option.audioId || null };
    case 'transfer-to-queue':
      return { action: 'transfer-to-queue', queueId: option.queueId };
    case 'transfer-to-user':
      return { action: 'transfer-to-user', userId: option.userId.trim() };
    default:
      return { action: option.action as IvrAction };
  }
}

/** The menu's body, with only the keys that have an action. */
export function ivrRequest(ivr: IvrDraft): IvrRequest {
  const options: Record<string, IvrOptionRequest> = {};
  for (const key of IVR_KEYS) {
    const option = ivr.options[key];
    if (option.action) {
      options[key] = optionRequest(option);
    }
  }
  return {
    promptAudioId: ivr.promptAudioId || null,
    timeoutSeconds: Number(ivr.timeoutSeconds.trim()),
    maxInvalid: Number(ivr.maxInvalid.trim()),
    invalidAudioId: ivr.invalidAudioId || null,
    timeoutAudioId: ivr.timeoutAudioId || null,
    options,
  };
}

/** The body of `POST /api/campaigns` or `PUT /api/campaigns/{id}` for the draft (check it first). */
export function campaignRequest(draft: CampaignDraft): CampaignRequest {
  const request: CampaignRequest = {
    name: draft.name.trim(),
    connectionId: draft.connectionId,
    messageAudioId: draft.messageAudioId,
    callerId: callerIdOf(draft.callerId),
    contacts: { tags: tagsOf(draft.tags), query: draft.query.trim() },
    concurrency: Number(draft.concurrency.trim()),
    window: { days: DAYS.filter((day) => draft.days.includes(day)), from: draft.from, until: draft.until, timeZone: draft.timeZone.trim() },
    machines: draft.machines,
    ivr: draft.ivrEnabled ? ivrRequest(draft.ivr) : null,
  };
  if (draft.id && draft.retries) {
    request.retries = draft.retries;
  }
  return request;
}

/**
 * Checks the draft as the server will, so that most mistakes show at their field before anything is sent; returns
 * each invalid field (named as in the server's problems, see {@link campaignErrorField}) and its message's key.
 * `channelLimit` is the chosen connection's limit of simultaneous calls, when it has one.
 */
export function validateCampaignDraft(draft: CampaignDraft, channelLimit?: number): Record<string, MessageKey> {
  const errors: Record<string, MessageKey> = {};
  const name = draft.name.trim();
  if (!name || name.length > 120) {
    errors.name = 'campaign.invalid.name';
  }
  if (!draft.connectionId) {
    errors.connectionId = 'campaign.invalid.connection';
  }
  if (!draft.messageAudioId) {
    errors.messageAudioId = 'campaign.invalid.message';
  }
  if (!/^\+?[0-9]{2,20}$/.test(callerIdOf(draft.callerId))) {
    errors.callerId = 'campaign.invalid.callerId';
  }
  const tags = tagsOf(draft.tags);
  if (tags.length > 20 || tags.some((tag) => tag.length > 50)) {
    errors['contacts.tags'] = 'campaign.invalid.tags';
  }
  if (draft.query.trim().length > 200) {
    errors['contacts.query'] = 'campaign.invalid.query';
  }
  const concurrency = Number(draft.concurrency.trim());
  if (!isWholeNumber(draft.concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    errors.concurrency = 'campaign.invalid.concurrency';
  } else if (channelLimit !== undefined && concurrency > channelLimit) {
    errors.concurrency = 'campaign.invalid.channelLimit';
  }
  if (draft.days.length === 0) {
    errors['window.days'] = 'campaign.invalid.days';
  }
  if (!/^\d{2}:\d{2}$/.test(draft.from)) {
    errors['window.from'] = 'campaign.invalid.time';
  }
  if (!/^\d{2}:\d{2}$/.test(draft.until)) {
    errors['window.until'] = 'campaign.invalid.time';
  } else if (!errors['window.from'] && draft.until <= draft.from) {
    errors['window.until'] = 'campaign.invalid.until';
  }
  if (!draft.timeZone.trim() || !isTimeZone(draft.timeZone.trim())) {
    errors['window.timeZone'] = 'campaign.invalid.timeZone';
  }
  if (draft.ivrEnabled) {
    const ivr = draft.ivr;
    const timeout = Number(ivr.timeoutSeconds.trim());
    if (!isWholeNumber(ivr.timeoutSeconds) || timeout < 1 || timeout > 30) {
      errors['ivr.timeoutSeconds'] = 'campaign.invalid.ivrTimeout';
    }
    const maxInvalid = Number(ivr.maxInvalid.trim());
    if (!isWholeNumber(ivr.maxInvalid) || maxInvalid < 1 || maxInvalid > 5) {
      errors['ivr.maxInvalid'] = 'campaign.invalid.ivrMaxInvalid';
    }
    const used = IVR_KEYS.filter((key) => ivr.options[key].action);
    if (used.length === 0) {
      errors['ivr.options'] = 'campaign.invalid.ivrNoOption';
    }
    for (const key of used) {
      const option = ivr.options[key];
      if (option.action === 'transfer-to-queue' && !option.queueId) {
        errors[`ivr.options.${keyName(key)}`] = 'campaign.invalid.ivrQueue';
      } else if (option.action === 'transfer-to-user' && !option.userId.trim()) {
        errors[`ivr.options.${keyName(key)}`] = 'campaign.invalid.ivrUser';
      }
    }
  }
  return errors;
}

/**
 * The form field a server problem names: bean validation writes `contacts.tags[0]` or `ivr.options[9].action`, the
 * campaign checks write `ivr.prompt`; the form knows them as `contacts.tags`, `ivr.options.9`, `ivr.promptAudioId`.
 */
export function campaignErrorField(field: string): string {
  const option = /^ivr\.options(?:\[([^\]]+)\]|\.([^.[]+))/.exec(field);
  if (option) {
    return `ivr.options.${keyName(option[1] ?? option[2] ?? '')}`;
  }
  if (/^ivr\.prompt/.test(field)) {
    return 'ivr.promptAudioId';
  }
  if (/^ivr\.invalid/.test(field)) {
    return 'ivr.invalidAudioId';
  }
  if (/^ivr\.timeoutAudio/.test(field)) {
    return 'ivr.timeoutAudioId';
  }
  if (/^retries\b/.test(field)) {
    return 'retries';
  }
  if (/^window\.zone$/.test(field)) {
    return 'window.timeZone';
  }
  const plain: Record<string, string> = { connection: 'connectionId', message: 'messageAudioId' };
  const base = field.replace(/\[\d+\]$/, '');
  return plain[base] ?? base;
}

/**
 * The field a refusal without `errors` concerns, from its title: the server's 422s say what is wrong with the
 * campaign as a whole ("No contacts": the selection matches nobody; a connection that cannot run campaigns).
 */
export function fieldOfRefusal(title: string): string | undefined {
  if (/^no contacts$/i.test(title)) {
    return 'contacts';
  }
  if (/^connection (cannot run campaigns|disabled)$/i.test(title)) {
    return 'connectionId';
  }
  return undefined;
}

/** Something a tenant admin can do to a campaign. */
export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel' | 'delete';

/** What the server allows in each state (see its `allowed` checks); an ended campaign allows nothing. */
export function campaignActions(state: string): CampaignAction[] {
  switch (state) {
    case 'draft':
      return ['start', 'delete'];
    case 'scheduled':
      return ['start', 'cancel'];
    case 'running':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    default:
      return [];
  }
}

/** Whether the campaign can still be changed at all (a running or paused one only in concurrency and window). */
export function isEditable(state: string | null): boolean {
  return state === null || state === 'draft' || state === 'scheduled' || state === 'running' || state === 'paused';
}

/** Whether only the concurrency and the calling window may change: the rest stays what the campaign started with. */
export function onlyWindowEditable(state: string | null): boolean {
  return state === 'running' || state === 'paused';
}
