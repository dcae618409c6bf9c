import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CampaignDetails } from '../../src/api/types';
import {
  campaignErrorField,
  campaignRequest,
  draftOfCampaign,
  newCampaignDraft,
  validateCampaignDraft,
} from '../../src/components/campaign-draft';

vi.mock('../../src/realtime/live-calls', () => ({
  subscribeLiveCalls: () => () => undefined,
  subscribeTopics: () => () => undefined,
  stompUrl: (base: string) => base,
}));

const { configure } = await import('../../src/index');
const { DOWNLOAD_URL_LIFETIME_MS } = await import('../../src/components/voxdesk-campaigns');

type Element = HTMLElement & { updateComplete: Promise<boolean> };
type Answer = { status: number; body?: unknown; blob?: Blob };
type Handler = (method: string, path: string, body: unknown) => Answer | undefined;
interface Request {
  method: string;
  /** path and query */
  path: string;
  body: unknown;
  auth: string;
  contentType: string | undefined;
}

const CONNECTION = '0f0e7c1e-6c5c-4a55-9d0e-5b8a0b7f1c11';
const API4COM = '5e8a1b2c-0000-4000-8000-000000000002';
const MESSAGE = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const OTHER_MESSAGE = '7c9e6679-7425-40de-944b-e07fc1f90ae8';
const PROMPT = 'a1a1a1a1-0000-4000-8000-000000000001';
const INVALID = 'a1a1a1a1-0000-4000-8000-000000000002';
const TIMEOUT = 'a1a1a1a1-0000-4000-8000-000000000003';
const GOODBYE = 'a1a1a1a1-0000-4000-8000-000000000004';
const SUPPORT = '0f8a6b1e-3d5c-4b8e-9f6a-2c1d7e9b4a10';
const ANA = 'f3c1a1e0-1111-4a2b-9c3d-000000000001';

const connections = [
  { id: CONNECTION, kind: 'asterisk', name: 'Main PBX', enabled: true, secretSet: true, settings: { channelLimit: '30' } },
  { id: API4COM, kind: 'api4com', name: 'Cloud', enabled: false, secretSet: true, settings: {} },
];
const audio = (id: string, name: string, kind: string) => ({ id, name, kind, source: 'upload', durationMillis: 4000 });
const messages = [audio(MESSAGE, 'Lembrete de fatura', 'campaign-message'), audio(OTHER_MESSAGE, 'Promoção', 'campaign-message')];
const prompts = [
  audio(PROMPT, 'Menu', 'ivr-prompt'),
  audio(INVALID, 'Opção inválida', 'ivr-prompt'),
  audio(TIMEOUT, 'Não ouvimos', 'ivr-prompt'),
  audio(GOODBYE, 'Até logo', 'ivr-prompt'),
];
const queues = [{ id: SUPPORT, name: 'Support', memberIds: [] }];
const members = [{ id: ANA, username: 'acme-ana', roles: ['agent'] }];

/** A campaign as the server lists it: days and zone as the details write them, the IVR under its stored names. */
function campaign(id: string, patch: Partial<CampaignDetails> = {}): CampaignDetails {
  return {
    id,
    name: `Campaign ${id}`,
    connection: CONNECTION,
    message: MESSAGE,
    callerId: '554833330100',
    contacts: { tags: ['inadimplente'], query: '' },
    concurrency: 2,
    window: { days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], from: '09:00:00', until: '18:00:00', zone: 'America/Sao_Paulo' },
    retries: { busy: { maxAttempts: 4, delayMinutes: 5 }, noAnswer: { maxAttempts: 3, delayMinutes: 30 }, failed: { maxAttempts: 2, delayMinutes: 60 }, machine: { maxAttempts: 2, delayMinutes: 120 } },
    machines: 'hang-up',
    ivr: null,
    state: 'draft',
    totalContacts: 0,
    dialerNote: null,
    ...patch,
  };
}

/** Answers fetches from `handler`, and the form's choices as the server would; bodies are ready at once. */
function serve(handler: Handler) {
  const requests: Request[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    const { pathname, search } = new URL(url);
    const method = init.method ?? 'GET';
    let body: unknown;
    if (init.body instanceof FormData) {
      body = init.body;
    } else if (init.body) {
      body = JSON.parse(String(init.body));
    }
    const headers = init.headers as Record<string, string>;
    requests.push({ method, path: pathname + search, body, auth: headers.Authorization ?? '', contentType: headers['Content-Type'] });
    const answer = handler(method, pathname + search, body) ?? choices(method, pathname + search) ?? { status: 404, body: { title: 'Not found' } };
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    return {
      ok: answer.status < 300,
      status: answer.status,
      statusText: '',
      headers: new Headers({ 'Content-Type': answer.status < 300 ? 'application/json' : 'application/problem+json' }),
      text: async () => text,
      blob: async () => answer.blob ?? new Blob([text]),
    } as Response;
  });
  vi.stubGlobal('fetch', fetch);
  return requests;
}

function choices(method: string, path: string): Answer | undefined {
  if (method !== 'GET') {
    return undefined;
  }
  const lists: Record<string, unknown> = {
    '/api/provider-connections': connections,
    '/api/audio?kind=campaign-message': messages,
    '/api/audio?kind=ivr-prompt': prompts,
    '/api/queues': queues,
    '/api/tenants/me/members': members,
    '/api/audio/languages': ['en', 'es', 'pt-BR'],
  };
  return path in lists ? { status: 200, body: lists[path] } : undefined;
}

/** Serves `list` at `GET /api/campaigns` and the rest from `handler`. */
function serveList(list: CampaignDetails[], handler: Handler = () => undefined) {
  return serve((method, path, body) => (method === 'GET' && path === '/api/campaigns' ? { status: 200, body: list } : handler(method, path, body)));
}

async function settle(element: Element): Promise<void> {
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 40; i++) {
      await Promise.resolve();
    }
    await element.updateComplete;
  }
}

async function mount(lang = 'en'): Promise<Element> {
  const element = document.createElement('voxdesk-campaigns') as Element;
  element.setAttribute('lang', lang);
  document.body.append(element);
  await settle(element);
  return element;
}

function byTestId(root: Element | HTMLElement, id: string): HTMLElement | null {
  const scope = root.shadowRoot ?? root;
  return scope.querySelector<HTMLElement>(`[data-testid="${id}"]`);
}

function need(root: Element | HTMLElement, id: string): HTMLElement {
  const found = byTestId(root, id);
  if (!found) {
    throw new Error(`no [data-testid="${id}"]`);
  }
  return found;
}

function items(element: Element): HTMLElement[] {
  return [...element.shadowRoot!.querySelectorAll<HTMLElement>('[data-testid="campaign-item"]')];
}

function item(element: Element, id: string): HTMLElement {
  const found = items(element).find((li) => li.dataset.id === id);
  if (!found) {
    throw new Error(`no campaign ${id} in the list`);
  }
  return found;
}

/** The test ids of an item's buttons, in order. */
function buttons(li: HTMLElement): string[] {
  return [...li.querySelectorAll<HTMLButtonElement>('.row > button')].map((button) => button.dataset.testid!);
}

function text(element: HTMLElement): string {
  return element.textContent!.replace(/\s+/g, ' ').trim();
}

function type(input: HTMLElement, value: string): void {
  (input as HTMLInputElement).value = value;
  input.dispatchEvent(new Event('input'));
}

function choose(select: HTMLElement, value: string): void {
  const element = select as HTMLSelectElement;
  if (![...element.options].some((option) => option.value === value)) {
    throw new Error(`${select.dataset.testid} offers no ${value}: ${[...element.options].map((option) => option.value).join(', ')}`);
  }
  element.value = value;
  select.dispatchEvent(new Event('change'));
}

function check(box: HTMLElement, on: boolean): void {
  (box as HTMLInputElement).checked = on;
  box.dispatchEvent(new Event('change'));
}

/** Fills the form with a complete, valid campaign (no menu). */
async function fillValid(element: Element): Promise<void> {
  type(need(element, 'campaign-name'), 'Lembrete de fatura');
  choose(need(element, 'campaign-connectionId'), CONNECTION);
  type(need(element, 'campaign-callerId'), '554833330100');
  choose(need(element, 'campaign-messageAudioId'), MESSAGE);
  type(need(element, 'campaign-timeZone'), 'America/Sao_Paulo');
  await settle(element);
}

beforeEach(() => {
  configure({ apiBase: 'http://api.test', tokenProvider: async () => 'tok', lang: 'en' });
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:report'), revokeObjectURL: vi.fn() }));
});

afterEach(() => {
  document.body.replaceChildren();
  configure({ tokenProvider: undefined, apiBase: undefined, lang: undefined });
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('<voxdesk-campaigns>', () => {
  it('lists the campaigns with their state, offering what each state allows', async () => {
    const requests = serveList([
      campaign('c-draft'),
      campaign('c-scheduled', { state: 'scheduled' }),
      campaign('c-running', { state: 'running', totalContacts: 120, concurrency: 20, dialerNote: 'The PBX refused a call; waiting 5 s.' }),
      campaign('c-paused', { state: 'paused' }),
      campaign('c-completed', { state: 'completed' }),
      campaign('c-cancelled', { state: 'cancelled' }),
    ]);
    const element = await mount();

    expect(requests[0]).toMatchObject({ method: 'GET', path: '/api/campaigns', auth: 'Bearer tok' });
    expect(items(element).map((li) => [li.dataset.id, li.dataset.state, text(li.querySelector('[data-testid="campaign-state"]')!)])).toEqual([
      ['c-draft', 'draft', 'Draft'],
      ['c-scheduled', 'scheduled', 'Scheduled'],
      ['c-running', 'running', 'Running'],
      ['c-paused', 'paused', 'Paused'],
      ['c-completed', 'completed', 'Completed'],
      ['c-cancelled', 'cancelled', 'Cancelled'],
    ]);
    const running = item(element, 'c-running');
    expect(text(running)).toContain('Campaign c-running');
    expect(text(running)).toContain('Calls at a time: 20 · contacts: 120');
    expect(text(item(element, 'c-draft'))).toContain('contacts are chosen when it starts');
    expect(text(need(running, 'campaign-dialer-note'))).toBe('Dialer: The PBX refused a call; waiting 5 s.');

    const reports = ['campaign-monitor', 'campaign-download-csv', 'campaign-download-pdf'];
    expect(buttons(item(element, 'c-draft'))).toEqual(['campaign-edit', 'campaign-start', 'campaign-delete']);
    expect(buttons(item(element, 'c-scheduled'))).toEqual(['campaign-edit', 'campaign-start', 'campaign-cancel']);
    expect(buttons(running)).toEqual(['campaign-edit', 'campaign-pause', 'campaign-cancel', ...reports]);
    expect(buttons(item(element, 'c-paused'))).toEqual(['campaign-edit', 'campaign-resume', 'campaign-cancel', ...reports]);
    expect(buttons(item(element, 'c-completed'))).toEqual(reports);
    expect(buttons(item(element, 'c-cancelled'))).toEqual(reports);
    expect(byTestId(element, 'campaign-form')).toBeNull();
  });

  it('says when there is no campaign yet, and tells agents the page is for admins', async () => {
    serveList([]);
    const element = await mount();
    expect(text(need(element, 'campaigns-empty'))).toBe('No campaigns yet.');
    element.remove();

    const requests = serve(() => ({ status: 403, body: { title: 'Forbidden' } }));
    const refused = await mount();
    expect(text(need(refused, 'campaigns-forbidden'))).toBe('Only tenant admins can manage campaigns.');
    // The form's choices are read only once the API let this user see the campaigns.
    expect(requests.map((request) => request.path)).toEqual(['/api/campaigns']);
  });

  it('creates a campaign: the form posts the whole body, IVR menu included', async () => {
    const created = campaign('c-new', { name: 'Lembrete de fatura' });
    const requests = serveList([campaign('c-old')], (method, path) => (method === 'POST' && path === '/api/campaigns' ? { status: 201, body: created } : undefined));
    const element = await mount();
    const saved = vi.fn();
    element.addEventListener('voxdesk-campaign-saved', (event) => saved((event as CustomEvent).detail));

    need(element, 'campaigns-new').click();
    await settle(element);
    const connection = need(element, 'campaign-connectionId') as HTMLSelectElement;
    expect([...connection.options].map((option) => option.textContent!.trim())).toEqual([
      '— choose a connection —',
      'Main PBX · Asterisk (ARI)',
      'Cloud · API4COM (disabled)',
    ]);
    expect([...(need(element, 'campaign-messageAudioId') as HTMLSelectElement).options].map((option) => option.value)).toEqual(['', MESSAGE, OTHER_MESSAGE]);

    await fillValid(element);
    type(need(element, 'campaign-callerId'), '+55 (48) 3333-0100');
    type(need(element, 'campaign-tags'), ' inadimplente, vip ,, ');
    type(need(element, 'campaign-query'), 'Silva');
    type(need(element, 'campaign-concurrency'), '20');
    check(need(element, 'campaign-day-fri'), false);
    check(need(element, 'campaign-day-sat'), true);
    type(need(element, 'campaign-from'), '08:30');
    type(need(element, 'campaign-until'), '17:00');
    choose(need(element, 'campaign-machines'), 'leave-message');
    check(need(element, 'campaign-ivr'), true);
    await settle(element);
    // A menu starts from the server's defaults: 1 repeats, 9 opts out.
    expect((need(element, 'ivr-key-1') as HTMLSelectElement).value).toBe('repeat');
    expect((need(element, 'ivr-key-9') as HTMLSelectElement).value).toBe('opt-out');
    choose(need(element, 'ivr-promptAudioId'), PROMPT);
    type(need(element, 'ivr-timeoutSeconds'), '7');
    type(need(element, 'ivr-maxInvalid'), '3');
    choose(need(element, 'ivr-invalidAudioId'), INVALID);
    choose(need(element, 'ivr-timeoutAudioId'), TIMEOUT);
    await settle(element);
    choose(need(element, 'ivr-key-9-audio'), GOODBYE);
    choose(need(element, 'ivr-key-0'), 'hang-up');
    choose(need(element, 'ivr-key-2'), 'transfer-to-queue');
    choose(need(element, 'ivr-key-3'), 'transfer-to-user');
    choose(need(element, 'ivr-key-hash'), 'repeat');
    await settle(element);
    choose(need(element, 'ivr-key-2-queue'), SUPPORT);
    choose(need(element, 'ivr-key-3-user'), ANA);
    await settle(element);

    need(element, 'campaign-save').click();
    await settle(element);

    const posts = requests.filter((request) => request.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ path: '/api/campaigns', auth: 'Bearer tok', contentType: 'application/json' });
    expect(posts[0]!.body).toEqual({
      name: 'Lembrete de fatura',
      connectionId: CONNECTION,
      messageAudioId: MESSAGE,
      callerId: '+554833330100',
      contacts: { tags: ['inadimplente', 'vip'], query: 'Silva' },
      concurrency: 20,
      window: { days: ['mon', 'tue', 'wed', 'thu', 'sat'], from: '08:30', until: '17:00', timeZone: 'America/Sao_Paulo' },
      machines: 'leave-message',
      ivr: {
        promptAudioId: PROMPT,
        timeoutSeconds: 7,
        maxInvalid: 3,
        invalidAudioId: INVALID,
        timeoutAudioId: TIMEOUT,
        options: {
          '1': { action: 'repeat' },
          '2': { action: 'transfer-to-queue', queueId: SUPPORT },
          '3': { action: 'transfer-to-user', userId: ANA },
          '9': { action: 'opt-out', audioId: GOODBYE },
          '0': { action: 'hang-up' },
          '#': { action: 'repeat' },
        },
      },
    });
    expect(text(need(element, 'campaign-saved'))).toBe('Campaign saved.');
    expect(items(element).map((li) => li.dataset.id)).toEqual(['c-new', 'c-old']);
    expect(saved).toHaveBeenCalledWith(expect.objectContaining({ id: 'c-new' }));
    expect(text(element.shadowRoot!.querySelector('form h2')!)).toBe('Editing Lembrete de fatura');
  });

  it('edits a stored campaign with PUT, sending back its retries and its menu as the server stored it', async () => {
    const stored = campaign('c-1', {
      contacts: { tags: ['b', 'a'], query: 'Souza' },
      ivr: {
        prompt: PROMPT,
        timeoutSeconds: 5,
        maxInvalid: 2,
        options: { '1': { action: 'repeat', audio: null }, '9': { action: 'opt-out', audio: GOODBYE }, '4': { action: 'transfer-to-queue', queue: SUPPORT } },
      },
    });
    const requests = serveList([stored], (method, path, body) =>
      method === 'PUT' && path === '/api/campaigns/c-1' ? { status: 200, body: { ...stored, concurrency: (body as { concurrency: number }).concurrency } } : undefined,
    );
    const element = await mount();
    need(item(element, 'c-1'), 'campaign-edit').click();
    await settle(element);
    expect((need(element, 'campaign-name') as HTMLInputElement).value).toBe('Campaign c-1');
    expect((need(element, 'campaign-tags') as HTMLInputElement).value).toBe('b, a');
    expect((need(element, 'campaign-from') as HTMLInputElement).value).toBe('09:00');
    expect((need(element, 'campaign-day-mon') as HTMLInputElement).checked).toBe(true);
    expect((need(element, 'campaign-day-sun') as HTMLInputElement).checked).toBe(false);
    expect((need(element, 'ivr-key-9-audio') as HTMLSelectElement).value).toBe(GOODBYE);
    expect((need(element, 'ivr-key-4-queue') as HTMLSelectElement).value).toBe(SUPPORT);
    type(need(element, 'campaign-concurrency'), '3');
    await settle(element);
    need(element, 'campaign-save').click();
    await settle(element);

    const put = requests.find((request) => request.method === 'PUT')!;
    expect(put.path).toBe('/api/campaigns/c-1');
    expect(put.body).toEqual({
      name: 'Campaign c-1',
      connectionId: CONNECTION,
      messageAudioId: MESSAGE,
      callerId: '554833330100',
      contacts: { tags: ['b', 'a'], query: 'Souza' },
      concurrency: 3,
      window: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', until: '18:00', timeZone: 'America/Sao_Paulo' },
      machines: 'hang-up',
      ivr: {
        promptAudioId: PROMPT,
        timeoutSeconds: 5,
        maxInvalid: 2,
        invalidAudioId: null,
        timeoutAudioId: null,
        options: { '1': { action: 'repeat' }, '4': { action: 'transfer-to-queue', queueId: SUPPORT }, '9': { action: 'opt-out', audioId: GOODBYE } },
      },
      retries: stored.retries,
    });
    expect(byTestId(element, 'campaign-saved')).not.toBeNull();
  });

  it('lets a running campaign change only its concurrency and calling window', async () => {
    serveList([campaign('c-run', { state: 'running', ivr: { prompt: null, timeoutSeconds: 5, maxInvalid: 2, options: { '1': { action: 'repeat' } } } })]);
    const element = await mount();
    need(item(element, 'c-run'), 'campaign-edit').click();
    await settle(element);
    expect(byTestId(element, 'campaign-started-hint')).not.toBeNull();
    const disabled = (id: string) => (need(element, id) as HTMLInputElement).disabled;
    for (const id of ['campaign-name', 'campaign-connectionId', 'campaign-callerId', 'campaign-messageAudioId', 'campaign-tags', 'campaign-query', 'campaign-machines', 'campaign-ivr', 'ivr-key-1']) {
      expect(disabled(id), id).toBe(true);
    }
    for (const id of ['campaign-concurrency', 'campaign-from', 'campaign-until', 'campaign-timeZone', 'campaign-day-sat']) {
      expect(disabled(id), id).toBe(false);
    }
    expect(byTestId(element, 'audio-panel')).toBeNull();
  });

  it("shows a 400 problem's field messages next to their fields", async () => {
    serveList([], (method) =>
      method === 'POST'
        ? {
            status: 400,
            body: {
              title: 'Invalid request',
              detail: 'The request has invalid fields.',
              errors: [
                { field: 'callerId', message: "callerId is the number people see: 2 to 20 digits, optionally after '+'." },
                { field: 'window.timeZone', message: "'Mars/Olympus' is not a time zone." },
                { field: 'ivr.options[9].action', message: 'must not be null' },
                { field: 'ivr.prompt', message: 'There is no audio in your library.' },
              ],
            },
          }
        : undefined,
    );
    const element = await mount();
    need(element, 'campaigns-new').click();
    await settle(element);
    await fillValid(element);
    check(need(element, 'campaign-ivr'), true);
    await settle(element);
    choose(need(element, 'ivr-promptAudioId'), PROMPT);
    await settle(element);
    need(element, 'campaign-save').click();
    await settle(element);

    expect(text(need(element, 'field-error-callerId'))).toBe("callerId is the number people see: 2 to 20 digits, optionally after '+'.");
    expect(need(element, 'campaign-callerId').getAttribute('aria-invalid')).toBe('true');
    expect(need(element, 'campaign-callerId').getAttribute('aria-describedby')).toBe('err-callerId');
    expect(text(need(element, 'field-error-window.timeZone'))).toBe("'Mars/Olympus' is not a time zone.");
    // Next to the key it concerns, inside that key's row.
    expect(text(need(need(element, 'ivr-key-9-row'), 'field-error-ivr.options.9'))).toBe('must not be null');
    expect(text(need(element, 'field-error-ivr.promptAudioId'))).toBe('There is no audio in your library.');
    expect(text(need(element, 'campaign-error'))).toBe('The request has invalid fields.');

    // Typing in a field clears its message.
    type(need(element, 'campaign-callerId'), '4833330100');
    await settle(element);
    expect(byTestId(element, 'field-error-callerId')).toBeNull();
    expect(byTestId(element, 'field-error-window.timeZone')).not.toBeNull();
  });

  it('puts a 422 refusal without field errors at the part of the form it concerns', async () => {
    let answer: Answer = {
      status: 422,
      body: {
        title: 'No contacts',
        detail: "No contact with a phone number matches the campaign's tags and search; choose other tags, or import the contacts first.",
      },
    };
    serveList([], (method) => (method === 'POST' ? answer : undefined));
    const element = await mount();
    need(element, 'campaigns-new').click();
    await settle(element);
    await fillValid(element);
    type(need(element, 'campaign-tags'), 'nobody');
    await settle(element);
    need(element, 'campaign-save').click();
    await settle(element);
    expect(text(need(element, 'field-error-contacts'))).toContain('No contact with a phone number matches');
    expect(text(need(element, 'campaign-error'))).toContain('No contact with a phone number matches');

    answer = { status: 422, body: { title: 'Connection cannot run campaigns', detail: 'Campaigns need an Asterisk connection.' } };
    need(element, 'campaign-save').click();
    await settle(element);
    expect(text(need(element, 'field-error-connectionId'))).toBe('Campaigns need an Asterisk connection.');
    expect(byTestId(element, 'field-error-contacts')).toBeNull();
  });

  it('checks the form before sending, as the server will', async () => {
    const requests = serveList([]);
    const element = await mount();
    need(element, 'campaigns-new').click();
    await settle(element);
    type(need(element, 'campaign-callerId'), '12a');
    type(need(element, 'campaign-concurrency'), '31');
    type(need(element, 'campaign-until'), '08:00');
    choose(need(element, 'campaign-connectionId'), CONNECTION);
    check(need(element, 'campaign-ivr'), true);
    await settle(element);
    choose(need(element, 'ivr-key-5'), 'transfer-to-queue');
    await settle(element);
    need(element, 'campaign-save').click();
    await settle(element);

    expect(requests.filter((request) => request.method !== 'GET')).toEqual([]);
    expect(text(need(element, 'field-error-name'))).toBe('Give the campaign a name of up to 120 characters.');
    expect(text(need(element, 'field-error-messageAudioId'))).toBe('Choose, upload or type the message.');
    expect(text(need(element, 'field-error-callerId'))).toBe('Use 2 to 20 digits, optionally after +.');
    // Main PBX's channel limit is 30.
    expect(text(need(element, 'field-error-concurrency'))).toBe('The connection allows 30 calls at a time.');
    expect(text(need(element, 'field-error-window.until'))).toBe('Must be after the start, on the same day.');
    expect(text(need(element, 'field-error-ivr.options.5'))).toBe('Choose the queue.');
    expect(byTestId(element, 'field-error-connectionId')).toBeNull();
    expect(text(need(element, 'campaign-error'))).toBe('Check the fields marked below.');
  });

  it('starts, pauses, resumes and cancels through their endpoints, and the buttons follow the state', async () => {
    let current = campaign('c-1');
    const requests = serveList([current], (method, path) => {
      const action = /^\/api\/campaigns\/c-1\/(start|pause|resume|cancel)$/.exec(path)?.[1];
      if (method !== 'POST' || !action) {
        return undefined;
      }
      const next = { start: 'running', pause: 'paused', resume: 'running', cancel: 'cancelled' }[action]!;
      current = { ...current, state: next, totalContacts: 5 };
      return { status: 200, body: current };
    });
    const element = await mount();
    const moves = vi.fn();
    element.addEventListener('voxdesk-campaign-state', (event) => moves((event as CustomEvent).detail.state));
    const li = () => item(element, 'c-1');
    const actions = () => buttons(li()).filter((id) => /-(start|pause|resume|cancel|delete)$/.test(id));
    const posts = () => requests.filter((request) => request.method === 'POST').map((request) => request.path);

    expect(actions()).toEqual(['campaign-start', 'campaign-delete']);
    need(li(), 'campaign-start').click();
    await settle(element);
    expect(posts()).toEqual(['/api/campaigns/c-1/start']);
    expect(li().dataset.state).toBe('running');
    expect(actions()).toEqual(['campaign-pause', 'campaign-cancel']);

    need(li(), 'campaign-pause').click();
    await settle(element);
    expect(actions()).toEqual(['campaign-resume', 'campaign-cancel']);
    need(li(), 'campaign-resume').click();
    await settle(element);
    expect(actions()).toEqual(['campaign-pause', 'campaign-cancel']);

    // Cancelling cannot be undone: it asks first, and "keep it" sends nothing.
    need(li(), 'campaign-cancel').click();
    await settle(element);
    expect(text(need(li(), 'campaign-confirm-question'))).toContain('Cancel “Campaign c-1”? No more calls are placed');
    need(li(), 'campaign-confirm-no').click();
    await settle(element);
    expect(byTestId(li(), 'campaign-confirm-question')).toBeNull();
    need(li(), 'campaign-cancel').click();
    await settle(element);
    need(li(), 'campaign-confirm').click();
    await settle(element);

    expect(posts()).toEqual(['/api/campaigns/c-1/start', '/api/campaigns/c-1/pause', '/api/campaigns/c-1/resume', '/api/campaigns/c-1/cancel']);
    expect(requests.filter((request) => request.method === 'POST').every((request) => request.auth === 'Bearer tok')).toBe(true);
    expect(li().dataset.state).toBe('cancelled');
    expect(actions()).toEqual([]);
    expect(moves.mock.calls.map(([state]) => state)).toEqual(['running', 'paused', 'running', 'cancelled']);
  });

  it('deletes a draft after asking, and shows a refusal next to the campaign', async () => {
    const requests = serveList([campaign('c-1'), campaign('c-2')], (method, path) => {
      if (method === 'DELETE' && path === '/api/campaigns/c-1') return { status: 204 };
      if (method === 'POST' && path === '/api/campaigns/c-2/start')
        return { status: 422, body: { title: 'Connection disabled', detail: 'The campaign\'s connection "Main PBX" is disabled; enable it, or choose another, and start again.' } };
      return undefined;
    });
    const element = await mount();
    need(item(element, 'c-1'), 'campaign-delete').click();
    await settle(element);
    expect(text(need(item(element, 'c-1'), 'campaign-confirm-question'))).toContain('Delete the draft “Campaign c-1”?');
    need(item(element, 'c-1'), 'campaign-confirm').click();
    await settle(element);
    expect(requests.find((request) => request.method === 'DELETE')!.path).toBe('/api/campaigns/c-1');
    expect(items(element).map((li) => li.dataset.id)).toEqual(['c-2']);

    need(item(element, 'c-2'), 'campaign-start').click();
    await settle(element);
    expect(text(need(item(element, 'c-2'), 'campaign-item-error'))).toContain('"Main PBX" is disabled');
    expect(item(element, 'c-2').dataset.state).toBe('draft');
  });

  it('turns typed text into speech, adds it to the library and chooses it as the message', async () => {
    const spoken = { id: 'speech-1', name: 'Olá! Sua fatura vence amanhã.', kind: 'campaign-message', source: 'speech', language: 'pt-BR', text: 'Olá! Sua fatura vence amanhã.' };
    const requests = serveList([], (method, path) => (method === 'POST' && path === '/api/audio/speech' ? { status: 201, body: spoken } : undefined));
    const element = await mount();
    need(element, 'campaigns-new').click();
    await settle(element);
    const language = need(element, 'audio-speech-language') as HTMLSelectElement;
    expect([...language.options].map((option) => option.value)).toEqual(['en', 'es', 'pt-BR']);
    // The page speaks English, so English is offered first.
    expect(language.value).toBe('en');

    need(element, 'audio-speech-create').click();
    await settle(element);
    expect(text(need(element, 'audio-error'))).toBe('Type the text first.');
    expect(requests.some((request) => request.path === '/api/audio/speech')).toBe(false);

    type(need(element, 'audio-speech-text'), '  Olá! Sua fatura vence amanhã.  ');
    choose(language, 'pt-BR');
    await settle(element);
    need(element, 'audio-speech-create').click();
    await settle(element);

    expect(requests.find((request) => request.path === '/api/audio/speech')).toMatchObject({
      method: 'POST',
      auth: 'Bearer tok',
      body: { kind: 'campaign-message', text: 'Olá! Sua fatura vence amanhã.', language: 'pt-BR' },
    });
    const message = need(element, 'campaign-messageAudioId') as HTMLSelectElement;
    expect(message.value).toBe('speech-1');
    expect([...message.options].map((option) => option.value)).toEqual(['', 'speech-1', MESSAGE, OTHER_MESSAGE]);
    expect(text(need(element, 'audio-created'))).toBe('“Olá! Sua fatura vence amanhã.” was added to the library and chosen.');
    expect((need(element, 'audio-speech-text') as HTMLTextAreaElement).value).toBe('');
    expect(byTestId(element, 'audio-error')).toBeNull();
  });

  it('makes the menu prompt from speech when asked to, as an IVR prompt', async () => {
    const requests = serveList([], (method, path, body) =>
      method === 'POST' && path === '/api/audio/speech' ? { status: 200, body: { id: 'prompt-2', name: 'Tecle 1', ...(body as object), source: 'speech' } } : undefined,
    );
    const element = await mount();
    need(element, 'campaigns-new').click();
    await settle(element);
    check(need(element, 'campaign-ivr'), true);
    await settle(element);
    choose(need(element, 'audio-use'), 'prompt');
    type(need(element, 'audio-speech-text'), 'Tecle 1 para ouvir de novo.');
    type(need(element, 'audio-speech-name'), 'Tecle 1');
    await settle(element);
    need(element, 'audio-speech-create').click();
    await settle(element);
    expect(requests.find((request) => request.path === '/api/audio/speech')!.body).toEqual({
      kind: 'ivr-prompt',
      text: 'Tecle 1 para ouvir de novo.',
      language: 'en',
      name: 'Tecle 1',
    });
    expect((need(element, 'ivr-promptAudioId') as HTMLSelectElement).value).toBe('prompt-2');
    expect((need(element, 'campaign-messageAudioId') as HTMLSelectElement).value).toBe('');
  });

  it('uploads an audio file as multipart with its kind and name, and chooses it', async () => {
    const requests = serveList([], (method, path) =>
      method === 'POST' && path === '/api/audio' ? { status: 201, body: { id: 'up-1', name: 'Aviso', kind: 'campaign-message', source: 'upload' } } : undefined,
    );
    const element = await mount();
    need(element, 'campaigns-new').click();
    await settle(element);
    need(element, 'audio-upload').click();
    await settle(element);
    expect(text(need(element, 'audio-error'))).toBe('Choose a file first.');

    const file = new File(['RIFF....WAVE'], 'aviso.wav', { type: 'audio/wav' });
    const input = need(element, 'audio-file');
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
    type(need(element, 'audio-upload-name'), 'Aviso');
    await settle(element);
    need(element, 'audio-upload').click();
    await settle(element);

    const upload = requests.find((request) => request.method === 'POST' && request.path === '/api/audio')!;
    expect(upload.auth).toBe('Bearer tok');
    // The browser writes the multipart Content-Type with its boundary.
    expect(upload.contentType).toBeUndefined();
    const form = upload.body as FormData;
    expect((form.get('file') as File).name).toBe('aviso.wav');
    expect(form.get('kind')).toBe('campaign-message');
    expect(form.get('name')).toBe('Aviso');
    expect((need(element, 'campaign-messageAudioId') as HTMLSelectElement).value).toBe('up-1');
  });

  it('downloads the attempts (CSV) and the report (PDF) with the bearer token, through an object URL', async () => {
    vi.useFakeTimers();
    const csv = new Blob(['attempt,number\n'], { type: 'text/csv' });
    const pdf = new Blob(['%PDF-1.7'], { type: 'application/pdf' });
    const requests = serveList([campaign('c-9', { state: 'completed' })], (method, path) => {
      if (method === 'GET' && path === '/api/campaigns/c-9/attempts.csv') return { status: 200, blob: csv };
      if (method === 'GET' && path === '/api/campaigns/c-9/report.pdf') return { status: 200, blob: pdf };
      return undefined;
    });
    const clicked: { href: string; download: string; inDocument: boolean }[] = [];
    // happy-dom would navigate to the link; the browser downloads it instead.
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.getAttribute('href')!, download: this.download, inDocument: this.isConnected });
    });
    const element = await mount();

    need(item(element, 'c-9'), 'campaign-download-csv').click();
    await settle(element);
    need(item(element, 'c-9'), 'campaign-download-pdf').click();
    await settle(element);

    const downloads = requests.filter((request) => /\.(csv|pdf)$/.test(request.path));
    expect(downloads.map((request) => [request.method, request.path, request.auth])).toEqual([
      ['GET', '/api/campaigns/c-9/attempts.csv', 'Bearer tok'],
      ['GET', '/api/campaigns/c-9/report.pdf', 'Bearer tok'],
    ]);
    expect(vi.mocked(URL.createObjectURL).mock.calls.map(([blob]) => blob)).toEqual([csv, pdf]);
    expect(clicked).toEqual([
      { href: 'blob:report', download: 'campaign-c-9-attempts.csv', inDocument: true },
      { href: 'blob:report', download: 'campaign-c-9-report.pdf', inDocument: true },
    ]);
    expect(element.shadowRoot!.querySelector('a')).toBeNull();
    expect(URL.revokeObjectURL).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(DOWNLOAD_URL_LIFETIME_MS);
    expect(URL.revokeObjectURL).toHaveBeenCalledTimes(2);
  });

  it('says when a download fails', async () => {
    serveList([campaign('c-9', { state: 'running' })], (_method, path) =>
      path.endsWith('report.pdf') ? { status: 404, body: { title: 'Not found', detail: 'No report for this campaign yet.' } } : undefined,
    );
    const element = await mount();
    need(item(element, 'c-9'), 'campaign-download-pdf').click();
    await settle(element);
    expect(text(need(item(element, 'c-9'), 'campaign-item-error'))).toBe('The download failed: No report for this campaign yet.');
    expect(URL.createObjectURL).not.toHaveBeenCalled();
  });

  it('asks for the monitor of a started campaign with an event', async () => {
    serveList([campaign('c-5', { state: 'running', name: 'Fatura' })]);
    const element = await mount();
    const selected = vi.fn();
    element.addEventListener('voxdesk-campaign-selected', (event) => selected((event as CustomEvent).detail));
    need(item(element, 'c-5'), 'campaign-monitor').click();
    expect(selected).toHaveBeenCalledWith({ id: 'c-5', name: 'Fatura', state: 'running' });
  });

  it('takes a transfer\'s user as a typed id when the members cannot be read', async () => {
    const requests = serveList([], (method, path) => {
      if (path === '/api/tenants/me/members') return { status: 403, body: { title: 'Forbidden' } };
      if (method === 'POST' && path === '/api/campaigns') return { status: 201, body: campaign('c-7') };
      return undefined;
    });
    const element = await mount();
    need(element, 'campaigns-new').click();
    await settle(element);
    await fillValid(element);
    check(need(element, 'campaign-ivr'), true);
    await settle(element);
    choose(need(element, 'ivr-key-7'), 'transfer-to-user');
    await settle(element);
    const user = need(element, 'ivr-key-7-user');
    expect(user.tagName).toBe('INPUT');
    type(user, ' kc-user-42 ');
    await settle(element);
    need(element, 'campaign-save').click();
    await settle(element);
    const body = requests.find((request) => request.method === 'POST')!.body as { ivr: { options: Record<string, unknown> } };
    expect(body.ivr.options['7']).toEqual({ action: 'transfer-to-user', userId: 'kc-user-42' });
  });

  it('speaks Brazilian Portuguese', async () => {
    serveList([campaign('c-1', { state: 'paused' })]);
    const element = await mount('pt-BR');
    expect(text(element.shadowRoot!.querySelector('h2')!)).toBe('Campanhas de voz');
    const li = item(element, 'c-1');
    expect(text(need(li, 'campaign-state'))).toBe('Pausada');
    expect(text(need(li, 'campaign-resume'))).toBe('Retomar');
    expect(text(need(li, 'campaign-download-csv'))).toBe('Tentativas (CSV)');
    need(li, 'campaign-edit').click();
    await settle(element);
    expect(text(need(element, 'campaign-started-hint'))).toContain('A campanha já começou');
    expect(text(element.shadowRoot!.querySelector('label[for="f-machines"]')!)).toBe('Quando uma secretária eletrônica atende');
  });
});

describe('campaign form logic', () => {
  it('sends back a stored campaign unchanged, so that a running one is not refused for "changes"', () => {
    const stored = campaign('c-1', {
      state: 'running',
      contacts: { tags: ['z', 'a'], query: '' },
      window: { days: ['SATURDAY', 'MONDAY'], from: '08:00', until: '12:30:00', zone: 'America/Manaus' },
      machines: 'leave-message',
      ivr: {
        prompt: PROMPT,
        timeoutSeconds: 9,
        maxInvalid: 4,
        invalidPrompt: INVALID,
        options: {
          '*': { action: 'hang-up', audio: null },
          '2': { action: 'transfer-to-user', user: 'kc-1' },
          '9': { action: 'opt-out', audio: null },
        },
      },
    });
    expect(campaignRequest(draftOfCampaign(stored))).toEqual({
      name: stored.name,
      connectionId: CONNECTION,
      messageAudioId: MESSAGE,
      callerId: '554833330100',
      contacts: { tags: ['z', 'a'], query: '' },
      concurrency: 2,
      window: { days: ['mon', 'sat'], from: '08:00', until: '12:30', timeZone: 'America/Manaus' },
      machines: 'leave-message',
      ivr: {
        promptAudioId: PROMPT,
        timeoutSeconds: 9,
        maxInvalid: 4,
        invalidAudioId: INVALID,
        timeoutAudioId: null,
        options: { '2': { action: 'transfer-to-user', userId: 'kc-1' }, '*': { action: 'hang-up' }, '9': { action: 'opt-out', audioId: null } },
      },
      retries: stored.retries,
    });
  });

  it('leaves the retries to the server for a new campaign, and sends no menu when it is off', () => {
    const draft = { ...newCampaignDraft('America/Sao_Paulo'), name: 'X', connectionId: CONNECTION, messageAudioId: MESSAGE, callerId: '4833330100' };
    const request = campaignRequest(draft);
    expect(request).not.toHaveProperty('retries');
    expect(request.ivr).toBeNull();
    expect(validateCampaignDraft(draft)).toEqual({});
  });

  it('refuses what the server refuses', () => {
    const valid = { ...newCampaignDraft('America/Sao_Paulo'), name: 'X', connectionId: CONNECTION, messageAudioId: MESSAGE, callerId: '4833330100' };
    expect(validateCampaignDraft({ ...valid, concurrency: '0' })).toEqual({ concurrency: 'campaign.invalid.concurrency' });
    expect(validateCampaignDraft({ ...valid, concurrency: '1001' })).toEqual({ concurrency: 'campaign.invalid.concurrency' });
    expect(validateCampaignDraft({ ...valid, concurrency: '1000' })).toEqual({});
    expect(validateCampaignDraft({ ...valid, concurrency: '12' }, 10)).toEqual({ concurrency: 'campaign.invalid.channelLimit' });
    expect(validateCampaignDraft({ ...valid, days: [], timeZone: 'Mars/Olympus', callerId: '+1' })).toEqual({
      'window.days': 'campaign.invalid.days',
      'window.timeZone': 'campaign.invalid.timeZone',
      callerId: 'campaign.invalid.callerId',
    });
    expect(validateCampaignDraft({ ...valid, tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(',') })).toEqual({ 'contacts.tags': 'campaign.invalid.tags' });
    const ivr = { ...valid.ivr, timeoutSeconds: '31', maxInvalid: '0', options: Object.fromEntries(Object.keys(valid.ivr.options).map((key) => [key, { action: '', audioId: '', queueId: '', userId: '' }])) };
    expect(validateCampaignDraft({ ...valid, ivrEnabled: true, ivr: ivr as typeof valid.ivr })).toEqual({
      'ivr.timeoutSeconds': 'campaign.invalid.ivrTimeout',
      'ivr.maxInvalid': 'campaign.invalid.ivrMaxInvalid',
      'ivr.options': 'campaign.invalid.ivrNoOption',
    });
    const star = { ...valid.ivr, options: { ...valid.ivr.options, '*': { action: 'transfer-to-user' as const, audioId: '', queueId: '', userId: ' ' } } };
    expect(validateCampaignDraft({ ...valid, ivrEnabled: true, ivr: star })).toEqual({ 'ivr.options.star': 'campaign.invalid.ivrUser' });
  });

  it("maps the server's field names onto the form's", () => {
    expect(campaignErrorField('ivr.options[9].action')).toBe('ivr.options.9');
    expect(campaignErrorField('ivr.options[#].queueId')).toBe('ivr.options.hash');
    expect(campaignErrorField('ivr.options.*.userId')).toBe('ivr.options.star');
    expect(campaignErrorField('ivr.options')).toBe('ivr.options');
    expect(campaignErrorField('ivr.prompt')).toBe('ivr.promptAudioId');
    expect(campaignErrorField('ivr.invalidAudioId')).toBe('ivr.invalidAudioId');
    expect(campaignErrorField('contacts.tags[3]')).toBe('contacts.tags');
    expect(campaignErrorField('retries.busy.maxAttempts')).toBe('retries');
    expect(campaignErrorField('connection')).toBe('connectionId');
    expect(campaignErrorField('window.until')).toBe('window.until');
  });
});
