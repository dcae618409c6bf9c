import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNT, fakeFactory, type FakeAgent } from './support/fake-sip';

const live = vi.hoisted(() => ({
  listeners: [] as { record(record: unknown): void; offer?(offer: unknown): void; presence?(presence: unknown): void }[],
}));

vi.mock('../../src/realtime/live-calls', () => ({
  subscribeLiveCalls: (
    _base: string,
    _token: unknown,
    listener: { record(record: unknown): void; offer?(offer: unknown): void; presence?(presence: unknown): void },
  ) => {
    live.listeners.push(listener);
    return () => live.listeners.splice(live.listeners.indexOf(listener), 1);
  },
  stompUrl: (base: string) => base,
}));

await import('../../src/index');
const { VoxdeskPhoneElement } = await import('../../src/components/voxdesk-phone');

type PhoneElement = InstanceType<typeof VoxdeskPhoneElement>;

/** A response whose body is ready at once, so that awaiting it takes only microtasks. */
function reply(status: number, body: unknown, contentType = 'application/json'): Response {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    headers: new Headers({ 'Content-Type': contentType }),
    text: async () => text,
  } as Response;
}

function byTestId(element: PhoneElement, id: string): HTMLElement | null {
  return element.shadowRoot!.querySelector(`[data-testid="${id}"]`);
}

async function mount(options: { token?: boolean; lang?: string } = {}) {
  const factory = fakeFactory();
  const element = document.createElement('voxdesk-phone') as PhoneElement;
  element.setAttribute('lang', options.lang ?? 'en');
  element.setAttribute('api-base', 'http://api.test');
  element.sipAgentFactory = factory;
  element.sipConfig = ACCOUNT;
  if (options.token) {
    element.tokenProvider = async () => 'tok';
  }
  document.body.append(element);
  await element.updateComplete;
  const agent = () => factory.agents[factory.agents.length - 1] as FakeAgent;
  return { element, agent, factory };
}

async function settle(element: PhoneElement): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await Promise.resolve();
  }
  await element.updateComplete;
}

/** What a test's fake Voxdesk answers to one request; `undefined` falls through to a 404 problem. */
type Route = (method: string, path: string, body: unknown) => Response | Promise<Response> | undefined;

/** A registered phone that reads its SIP settings from the API (no `sipConfig`), with the API answered by `route`. */
async function mountWithApi(route: Route, lang = 'en') {
  const requests: { method: string; path: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const path = new URL(url).pathname;
      const method = init?.method ?? 'GET';
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      requests.push({ method, path, body });
      if (path === '/api/me/webphone') {
        return reply(200, ACCOUNT);
      }
      return (await route(method, path, body)) ?? reply(404, { title: 'Not found' }, 'application/problem+json');
    }),
  );
  const factory = fakeFactory();
  const element = document.createElement('voxdesk-phone') as PhoneElement;
  element.setAttribute('lang', lang);
  element.setAttribute('api-base', 'http://api.test');
  element.sipAgentFactory = factory;
  element.tokenProvider = async () => 'tok';
  document.body.append(element);
  await settle(element);
  const agent = factory.agents.at(-1) as FakeAgent;
  agent.listener.registered();
  await element.updateComplete;
  return { element, agent, requests };
}

beforeEach(() => {
  live.listeners.length = 0;
  vi.stubGlobal('fetch', vi.fn(async () => reply(503, { title: 'Unavailable' }, 'application/problem+json')));
});

afterEach(() => {
  document.body.replaceChildren();
  vi.unstubAllGlobals();
});

describe('<voxdesk-phone>', () => {
  it('registers with sipConfig and reflects the state', async () => {
    const { element, agent, factory } = await mount();
    expect(factory.agents).toHaveLength(1);
    expect(agent().account.uri).toBe('sip:1001@pbx.acme.example');
    expect(element.getAttribute('data-state')).toBe('registering');
    const registered = vi.fn();
    element.addEventListener('voxdesk-registered', registered);
    agent().listener.registered();
    await element.updateComplete;
    expect(element.state).toBe('registered');
    expect(element.getAttribute('data-state')).toBe('registered');
    expect(element.getAttribute('data-call-state')).toBe('none');
    expect(byTestId(element, 'phone-status')!.textContent).toBe('Ready');
    expect(registered).toHaveBeenCalledOnce();
  });

  it('shows a wrong password in plain words and fires voxdesk-registration-failed', async () => {
    const { element, agent } = await mount({ lang: 'pt-BR' });
    const failed = vi.fn();
    element.addEventListener('voxdesk-registration-failed', (event) => failed((event as CustomEvent).detail));
    agent().listener.registrationFailed('Authentication Error');
    await element.updateComplete;
    const diagnostics = byTestId(element, 'diagnostics')!;
    expect(diagnostics.dataset.problem).toBe('wrong-password');
    expect(diagnostics.textContent).toContain('senha');
    expect(failed).toHaveBeenCalledWith(expect.objectContaining({ reason: 'wrong-password' }));
  });

  it('has every dial pad key and dials what was typed', async () => {
    const { element, agent } = await mount();
    agent().listener.registered();
    await element.updateComplete;
    for (const key of ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'star', 'hash']) {
      expect(byTestId(element, `dialpad-${key}`), key).toBeInstanceOf(HTMLButtonElement);
    }
    byTestId(element, 'dialpad-1')!.click();
    byTestId(element, 'dialpad-0')!.click();
    await element.updateComplete;
    element.shadowRoot!.querySelector('section')!.dispatchEvent(new KeyboardEvent('keydown', { key: '2', bubbles: true, composed: true }));
    await element.updateComplete;
    expect((byTestId(element, 'dial-input') as HTMLInputElement).value).toBe('102');
    byTestId(element, 'dial-call')!.click();
    await element.updateComplete;
    expect(agent().actions.at(-1)).toBe('call:102');
    expect(element.getAttribute('data-call-state')).toBe('outgoing');
    expect(byTestId(element, 'in-call')).not.toBeNull();
  });

  describe('dialling from the keypad with the Voxdesk API', () => {
    /** A phone with Voxdesk behind it, `/api/calls` answered by `calls`, and a customer's number typed. */
    async function mountWithNumber(calls: (body: unknown) => Response | Promise<Response>, lang = 'en') {
      const phone = await mountWithApi((method, path, body) => (method === 'POST' && path === '/api/calls' ? calls(body) : undefined), lang);
      const input = byTestId(phone.element, 'dial-input') as HTMLInputElement;
      input.value = '(48) 3332-8530';
      input.dispatchEvent(new Event('input'));
      await phone.element.updateComplete;
      return phone;
    }

    it('asks Voxdesk to place the call and answers the leg it rings, instead of dialling over SIP', async () => {
      let answer: ((response: Response) => void) | undefined;
      const { element, agent, requests } = await mountWithNumber(() => new Promise<Response>((resolve) => (answer = resolve)));
      const button = byTestId(element, 'dial-call') as HTMLButtonElement;
      button.click();
      await settle(element);

      expect(requests.filter((r) => r.path === '/api/calls')).toEqual([{ method: 'POST', path: '/api/calls', body: { number: '(48) 3332-8530' } }]);
      expect(button.disabled).toBe(true);
      expect(button.getAttribute('aria-busy')).toBe('true');
      button.click();
      byTestId(element, 'dial-input')!.closest('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
      await settle(element);
      expect(requests.filter((r) => r.path === '/api/calls')).toHaveLength(1);

      answer!(reply(202, { id: 'c-keypad', status: 'RINGING', number: '+554833328530', agentAnsweredAt: null }));
      await settle(element);
      expect(agent.actions.some((action) => action.startsWith('call:'))).toBe(false);
      expect(button.disabled).toBe(false);
      expect(byTestId(element, 'phone-notice')!.textContent).toBe('Your phone rings first, then (48) 3332-8530.');

      const leg = agent.ring({ 'X-Voxdesk-Call-Id': 'c-keypad' });
      expect(leg.actions).toEqual(['answer']);
    });

    it.each([
      [400, 'The number (48) 3332-8530 is not a valid phone number.'],
      [409, 'Your extension is turned off.'],
    ])('shows a %i problem and keeps the typed number', async (status, detail) => {
      const { element, agent } = await mountWithNumber(() => reply(status, { title: 'Refused', detail }, 'application/problem+json'));
      byTestId(element, 'dial-call')!.click();
      await settle(element);
      expect(byTestId(element, 'phone-notice')!.textContent).toBe(detail);
      expect((byTestId(element, 'dial-input') as HTMLInputElement).value).toBe('(48) 3332-8530');
      expect((byTestId(element, 'dial-call') as HTMLButtonElement).disabled).toBe(false);
      expect(agent.actions.some((action) => action.startsWith('call:'))).toBe(false);
    });

    it("dials a colleague's extension over SIP: an internal call the PBX connects, not a customer's number", async () => {
      const { element, agent, requests } = await mountWithNumber(() => reply(500, { title: 'unexpected' }, 'application/problem+json'));
      const input = byTestId(element, 'dial-input') as HTMLInputElement;
      input.value = '1002';
      input.dispatchEvent(new Event('input'));
      await element.updateComplete;
      byTestId(element, 'dial-call')!.click();
      await settle(element);
      expect(requests.filter((r) => r.path === '/api/calls')).toEqual([]);
      expect(agent.actions).toContain('call:1002');
    });

    it('says so in Brazilian Portuguese while the call is being requested', async () => {
      const { element } = await mountWithNumber(() => new Promise<Response>(() => undefined), 'pt-BR');
      byTestId(element, 'dial-call')!.click();
      await settle(element);
      expect(byTestId(element, 'dial-call')!.textContent!.trim()).toBe('Ligando…');
    });
  });

  it('dials over SIP, without asking Voxdesk, when the host gave the SIP settings', async () => {
    const fetch = vi.fn(async (_url: string) => reply(404, { title: 'Not found' }, 'application/problem+json'));
    vi.stubGlobal('fetch', fetch);
    const { element, agent } = await mount({ token: true });
    agent().listener.registered();
    await element.updateComplete;
    const input = byTestId(element, 'dial-input') as HTMLInputElement;
    input.value = '1002';
    input.dispatchEvent(new Event('input'));
    await element.updateComplete;
    byTestId(element, 'dial-call')!.click();
    await settle(element);
    expect(agent().actions.at(-1)).toBe('call:1002');
    expect(fetch.mock.calls.map(([url]) => String(url))).not.toContain('http://api.test/api/calls');
  });

  it('pops up an incoming call with the ticket from the call record, and answers it', async () => {
    const fetch = vi.fn(async (_url: string) => reply(200, { id: 'c-1', status: 'RINGING', number: '1', ticket: 'T-1234' }));
    vi.stubGlobal('fetch', fetch);
    const { element, agent } = await mount({ token: true });
    agent().listener.registered();
    const incoming = vi.fn();
    element.addEventListener('voxdesk-incoming', (event) => incoming((event as CustomEvent).detail));
    const call = agent().ring({ 'X-Voxdesk-Call-Id': 'c-1' });
    await settle(element);
    expect(incoming).toHaveBeenCalledWith({ number: '+554833328530', name: 'Mariana Souza', callId: 'c-1', autoAnswer: false });
    expect(byTestId(element, 'incoming-popup')).not.toBeNull();
    expect(byTestId(element, 'incoming-name')!.textContent).toBe('Mariana Souza');
    expect(byTestId(element, 'incoming-number')!.textContent).toBe('+554833328530');
    expect(fetch.mock.calls.map(([url]) => url)).toContain('http://api.test/api/calls/c-1');
    expect(byTestId(element, 'incoming-ticket')!.textContent).toBe('Ticket T-1234');
    byTestId(element, 'incoming-answer')!.click();
    expect(call.actions).toEqual(['answer']);
  });

  it('shows an inbound caller announced over STOMP: contact, ticket subject, queue and wait, never answered by itself', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply(404, { title: 'Not found' })));
    const { element, agent } = await mount({ token: true });
    agent().listener.registered();
    const waitingSince = new Date(Date.now() - 35_000).toISOString();
    live.listeners.at(-1)!.offer!({
      call: 'c-in', offer: 1, number: '+5548999990000', callerName: 'MARIA S', contactName: 'Maria Souza',
      ticket: 'T-9', ticketSubject: 'Refund for order 42', queue: 'q-1', queueName: 'Support', waitingSince,
    });
    live.listeners.at(-1)!.record({ id: 'c-in', status: 'RINGING', number: '+5548999990000', direction: 'inbound' });
    const call = agent().ring({ 'X-Voxdesk-Call-Id': 'c-in' });
    await settle(element);

    expect(byTestId(element, 'incoming-name')!.textContent).toBe('Maria Souza');
    expect(byTestId(element, 'incoming-number')!.textContent).toBe('+5548999990000');
    expect(byTestId(element, 'incoming-ticket')!.textContent).toBe('Refund for order 42');
    expect(byTestId(element, 'incoming-queue')!.textContent).toMatch(/^Queue Support · waiting 3[5-9] s$/);
    expect(call.actions).toEqual([]);
    byTestId(element, 'incoming-reject')!.click();
    expect(call.actions).toEqual(['reject']);
  });

  it("names an answered inbound caller by their contact, not by the network's display name", async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply(404, { title: 'Not found' })));
    const { element, agent } = await mount({ token: true });
    agent().listener.registered();
    live.listeners.at(-1)!.offer!({
      call: 'c-named', offer: 1, number: '+5548999990000', callerName: 'CELULAR SC', contactName: 'Maria Souza',
      ticket: 'T-9', ticketSubject: 'Refund', queue: 'q-1', queueName: 'Support',
      waitingSince: new Date().toISOString(),
    });
    const call = agent().ring({ 'X-Voxdesk-Call-Id': 'c-named' });
    await settle(element);
    byTestId(element, 'incoming-answer')!.click();
    call.listener!.accepted();
    await settle(element);

    expect(element.callState).toBe('established');
    expect(byTestId(element, 'in-call-peer')!.textContent).toBe('Maria Souza');
    call.listener!.ended('normal');
    await settle(element);
    expect(byTestId(element, 'after-call')?.textContent ?? '').toContain('Maria Souza');
  });

  it('lets the agent go away with a reason from the tenant list and follows a change made elsewhere', async () => {
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      if (url.endsWith('/api/presence/away-reasons')) {
        return reply(200, ['lunch', 'training']);
      }
      if (url.endsWith('/api/me/presence') && init?.method === 'PUT') {
        return reply(200, { state: 'away', chosen: 'away', reason: 'lunch' });
      }
      if (url.endsWith('/api/me/presence')) {
        return reply(200, { state: 'available', chosen: 'available', reason: null });
      }
      return reply(404, { title: 'Not found' });
    });
    vi.stubGlobal('fetch', fetch);
    const { element } = await mount({ token: true });
    await settle(element);
    const select = byTestId(element, 'presence') as HTMLSelectElement;
    expect(select.value).toBe('available');
    expect([...select.options].map((option) => option.textContent)).toEqual([
      'Available', 'Away', 'Away: lunch', 'Away: training', 'Offline',
    ]);

    select.value = 'away:lunch';
    select.dispatchEvent(new Event('change'));
    await settle(element);
    const put = fetch.mock.calls.find(([, init]) => init?.method === 'PUT')!;
    expect(put[0]).toBe('http://api.test/api/me/presence');
    expect(JSON.parse(String(put[1]!.body))).toEqual({ state: 'away', reason: 'lunch' });
    expect((byTestId(element, 'presence') as HTMLSelectElement).value).toBe('away:lunch');

    // Another tab, or Voxdesk after the connection was lost: the feed says offline.
    live.listeners.at(-1)!.presence!({ state: 'on-call', chosen: 'offline', reason: null });
    await settle(element);
    expect((byTestId(element, 'presence') as HTMLSelectElement).value).toBe('offline');
    expect(byTestId(element, 'presence-derived')!.textContent).toBe('On a call');
  });

  it('auto-answers the leg of a click-to-call announced on document', async () => {
    const { agent } = await mount();
    agent().listener.registered();
    document.dispatchEvent(new CustomEvent('voxdesk-call-requested', { detail: { id: 'c-7', status: 'RINGING', number: '1' } }));
    const call = agent().ring({ 'X-Voxdesk-Call-Id': 'c-7' });
    expect(call.actions).toEqual(['answer']);
  });

  it('auto-answers the leg of a click-to-call seen on the live feed', async () => {
    const { agent } = await mount({ token: true });
    agent().listener.registered();
    expect(live.listeners).toHaveLength(1);
    live.listeners[0]!.record({ id: 'c-8', status: 'RINGING', number: '1', agentAnsweredAt: null });
    expect(agent().ring({ 'X-Voxdesk-Call-Id': 'c-8' }).actions).toEqual(['answer']);
  });

  it('shows call controls with aria-pressed toggles, and the note form after the call', async () => {
    const fetch = vi.fn(async () => reply(200, {}));
    vi.stubGlobal('fetch', fetch);
    const { element, agent } = await mount({ token: true });
    agent().listener.registered();
    document.dispatchEvent(new CustomEvent('voxdesk-call-requested', { detail: { id: 'c-2', status: 'RINGING', number: '1' } }));
    const call = agent().ring({ 'X-Voxdesk-Call-Id': 'c-2' });
    call.listener!.accepted();
    await settle(element);
    expect(element.callState).toBe('established');
    expect(byTestId(element, 'call-timer')!.textContent).toBe('00:00');
    const mute = byTestId(element, 'call-mute')!;
    expect(mute.getAttribute('aria-pressed')).toBe('false');
    mute.click();
    await element.updateComplete;
    expect(mute.getAttribute('aria-pressed')).toBe('true');
    byTestId(element, 'call-dtmf-toggle')!.click();
    await element.updateComplete;
    byTestId(element, 'dtmf-5')!.click();
    expect(call.actions).toContain('dtmf:5');
    byTestId(element, 'call-hangup')!.click();
    call.listener!.ended('Terminated');
    await settle(element);
    expect(element.getAttribute('data-call-state')).toBe('ended');
    const note = byTestId(element, 'note-input') as HTMLTextAreaElement;
    note.value = 'Will pay on Friday';
    note.dispatchEvent(new Event('input'));
    const select = byTestId(element, 'disposition-select') as HTMLSelectElement;
    select.value = 'callback';
    select.dispatchEvent(new Event('change'));
    await element.updateComplete;
    byTestId(element, 'note-save')!.click();
    await settle(element);
    const put = fetch.mock.calls.find((c) => (c as unknown as [string])[0].endsWith('/note')) as unknown as [string, RequestInit];
    expect(put[0]).toBe('http://api.test/api/calls/c-2/note');
    expect(JSON.parse(put[1].body as string)).toEqual({ note: 'Will pay on Friday', disposition: 'callback' });
    expect(byTestId(element, 'note-saved')).not.toBeNull();
  });

  it('offers no note form for a call without a Voxdesk call id', async () => {
    const { element, agent } = await mount();
    agent().listener.registered();
    const call = agent().ring();
    call.listener!.accepted();
    call.listener!.ended('Terminated');
    await settle(element);
    expect(byTestId(element, 'after-call')).toBeNull();
  });

  describe('transferring the customer to a queue', () => {
    const SUPPORT = { id: '5b1f0c7e-8d2a-4a57-9a31-0c4e6f1d2b01', name: 'Support', memberIds: ['u-1'], createdAt: '2026-12-01T10:00:00Z', updatedAt: '2026-12-01T10:00:00Z' };
    const BILLING = { id: '9e3d7a44-1c6b-4f0e-b2d8-7f5a3c9e1b02', name: 'Billing', memberIds: [], createdAt: '2026-12-01T10:00:00Z', updatedAt: '2026-12-02T10:00:00Z' };
    const TRANSFERRED = {
      id: 'c-q', status: 'ANSWERED', number: '+554833328530', direction: 'inbound',
      transfer: { attempt: 1, mode: 'BLIND', destination: 'queue Support', state: 'COMPLETED' },
    };

    /** A phone with Voxdesk behind it, in an established call; `transfer` answers `POST /api/calls/c-q/transfer`. */
    async function inCall(
      options: {
        transfer?: (body: unknown) => Response | Promise<Response>;
        queues?: () => Response;
        headers?: Record<string, string>;
        lang?: string;
      } = {},
    ) {
      const phone = await mountWithApi((method, path, body) => {
        if (method === 'GET' && path === '/api/queues') {
          return options.queues ? options.queues() : reply(200, [SUPPORT, BILLING]);
        }
        if (method === 'POST' && path === '/api/calls/c-q/transfer') {
          return options.transfer?.(body);
        }
        return undefined;
      }, options.lang);
      const call = phone.agent.ring(options.headers ?? { 'X-Voxdesk-Call-Id': 'c-q' });
      call.listener!.accepted();
      await settle(phone.element);
      return { ...phone, call };
    }

    async function choose(element: PhoneElement, queueId: string): Promise<void> {
      const select = byTestId(element, 'call-transfer-queue') as HTMLSelectElement;
      select.value = queueId;
      select.dispatchEvent(new Event('change'));
      await element.updateComplete;
    }

    const queueRequests = (requests: { path: string }[]) => requests.filter((request) => request.path === '/api/queues');

    it("lists the tenant's queues once a call with a Voxdesk call id is established, and loads them only once", async () => {
      const { element, agent, requests } = await mountWithApi((method, path) =>
        method === 'GET' && path === '/api/queues' ? reply(200, [SUPPORT, BILLING]) : undefined,
      );
      const call = agent.ring({ 'X-Voxdesk-Call-Id': 'c-q' });
      await settle(element);
      expect(queueRequests(requests)).toEqual([]);

      call.listener!.accepted();
      await settle(element);
      expect(element.callState).toBe('established');
      const select = byTestId(element, 'call-transfer-queue') as HTMLSelectElement;
      expect([...select.options].map((option) => [option.value, option.textContent])).toEqual([
        ['', '— choose a queue —'],
        [SUPPORT.id, 'Support'],
        [BILLING.id, 'Billing'],
      ]);
      expect(element.shadowRoot!.querySelector(`label[for="${select.id}"]`)!.textContent).toBe('Queue to transfer to');
      const button = byTestId(element, 'call-transfer-queue-submit') as HTMLButtonElement;
      expect(button.textContent!.trim()).toBe('Transfer to queue');
      expect(button.disabled).toBe(true);

      call.listener!.ended('Terminated');
      await settle(element);
      const next = agent.ring({ 'X-Voxdesk-Call-Id': 'c-next' });
      next.listener!.accepted();
      await settle(element);
      expect(byTestId(element, 'call-transfer-queue')).not.toBeNull();
      expect(queueRequests(requests)).toHaveLength(1);
    });

    it('posts the chosen queue once, and says where the customer went also after Voxdesk hung up this leg', async () => {
      let answer: ((response: Response) => void) | undefined;
      const { element, call, requests } = await inCall({ transfer: () => new Promise<Response>((resolve) => (answer = resolve)) });
      await choose(element, SUPPORT.id);
      const button = byTestId(element, 'call-transfer-queue-submit') as HTMLButtonElement;
      expect(button.disabled).toBe(false);
      button.click();
      await settle(element);
      const transfers = () => requests.filter((request) => request.path.endsWith('/transfer'));
      expect(transfers()).toEqual([{ method: 'POST', path: '/api/calls/c-q/transfer', body: { queueId: SUPPORT.id } }]);
      expect(button.disabled).toBe(true);
      expect(button.getAttribute('aria-busy')).toBe('true');
      button.closest('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
      await settle(element);
      expect(transfers()).toHaveLength(1);

      answer!(reply(200, TRANSFERRED));
      await settle(element);
      expect(byTestId(element, 'phone-notice')!.textContent).toBe('Call transferred to the queue Support.');
      // Voxdesk moves the customer and hangs up; the phone neither REFERs nor hangs up by itself.
      expect(call.actions).toEqual([]);

      call.listener!.ended('Terminated');
      await settle(element);
      expect(element.callState).toBe('ended');
      expect(byTestId(element, 'phone-notice')!.textContent).toBe('Call transferred to the queue Support.');
      expect(byTestId(element, 'after-call')).not.toBeNull();
    });

    it("shows a refused transfer's detail and keeps the call as it was", async () => {
      const { element, call } = await inCall({
        transfer: () => reply(409, { title: 'Conflict', status: 409, detail: 'Not supported by api4com' }, 'application/problem+json'),
      });
      await choose(element, BILLING.id);
      byTestId(element, 'call-transfer-queue-submit')!.click();
      await settle(element);
      expect(byTestId(element, 'phone-notice')!.textContent).toBe('Not supported by api4com');
      expect(element.callState).toBe('established');
      expect(call.actions).toEqual([]);
      expect((byTestId(element, 'call-transfer-queue-submit') as HTMLButtonElement).disabled).toBe(false);
      expect((byTestId(element, 'call-transfer-queue') as HTMLSelectElement).value).toBe(BILLING.id);

      call.listener!.ended('Terminated');
      await settle(element);
      expect(byTestId(element, 'phone-notice')!.textContent).toBe('The call ended.');
    });

    it('is left out, without a word, when the queues cannot be loaded', async () => {
      const { element } = await inCall({ queues: () => reply(500, { title: 'Internal Server Error', detail: 'Boom' }, 'application/problem+json') });
      expect(element.callState).toBe('established');
      expect(byTestId(element, 'call-transfer-input')).not.toBeNull();
      expect(byTestId(element, 'call-transfer-queue')).toBeNull();
      expect(byTestId(element, 'phone-notice')).toBeNull();
    });

    it('is not offered for a call without a Voxdesk call id', async () => {
      const { element, requests } = await inCall({ headers: {} });
      expect(element.callState).toBe('established');
      expect(byTestId(element, 'call-transfer-input')).not.toBeNull();
      expect(byTestId(element, 'call-transfer-queue')).toBeNull();
      expect(queueRequests(requests)).toEqual([]);
    });

    it('is not offered when the host gave the SIP settings', async () => {
      const fetch = vi.fn(async (url: string) =>
        url.endsWith('/api/queues') ? reply(200, [SUPPORT]) : reply(404, { title: 'Not found' }, 'application/problem+json'),
      );
      vi.stubGlobal('fetch', fetch);
      const { element, agent } = await mount({ token: true });
      agent().listener.registered();
      const call = agent().ring({ 'X-Voxdesk-Call-Id': 'c-q' });
      call.listener!.accepted();
      await settle(element);
      expect(element.callState).toBe('established');
      expect(byTestId(element, 'call-transfer-input')).not.toBeNull();
      expect(byTestId(element, 'call-transfer-queue')).toBeNull();
      expect(fetch.mock.calls.map(([url]) => url)).not.toContain('http://api.test/api/queues');
    });

    it('speaks Brazilian Portuguese', async () => {
      const { element } = await inCall({ lang: 'pt-BR', transfer: () => reply(200, TRANSFERRED) });
      const select = byTestId(element, 'call-transfer-queue') as HTMLSelectElement;
      expect(element.shadowRoot!.querySelector(`label[for="${select.id}"]`)!.textContent).toBe('Fila para a transferência');
      expect(select.options[0]!.textContent).toBe('— escolha uma fila —');
      expect(byTestId(element, 'call-transfer-queue-submit')!.textContent!.trim()).toBe('Transferir para a fila');
      await choose(element, SUPPORT.id);
      byTestId(element, 'call-transfer-queue-submit')!.click();
      await settle(element);
      expect(byTestId(element, 'phone-notice')!.textContent).toBe('Ligação transferida para a fila Support.');
    });
  });

  /** A phone signed in, in `lang`, that asked Voxdesk for its settings. */
  async function signedInPhone(lang: string): Promise<PhoneElement> {
    const element = document.createElement('voxdesk-phone') as PhoneElement;
    element.setAttribute('lang', lang);
    element.tokenProvider = async () => 'tok';
    document.body.append(element);
    await settle(element);
    return element;
  }

  // Every answer GET /api/me/webphone can give, and what the phone then says (issue 19, point 10). Before, an
  // active extension without a SIP password showed "Your extension is turned off".
  it.each([
    [409, 'urn:voxdesk:problem:no-sip-password', 'No SIP password', 'no-sip-password', 'Your extension has no SIP password yet. Set one in your extension settings.'],
    [409, 'urn:voxdesk:problem:extension-inactive', 'Extension inactive', 'extension-inactive', 'Your extension is turned off. Turn it on in your extension settings.'],
    [409, 'urn:voxdesk:problem:no-sip-server', 'No SIP server', 'no-sip-server', 'Your extension has no phone server'],
    [404, 'urn:voxdesk:problem:no-extension', 'No extension', 'no-extension', 'You have no extension yet.'],
    [401, undefined, 'Unauthorized', 'signed-out', 'Your session has ended. Sign in again to use the phone.'],
    [403, undefined, 'Forbidden', 'forbidden', 'Voxdesk does not let you use the phone here.'],
    [429, undefined, 'Too many requests', 'rate-limited', 'Too many requests right now.'],
    [503, undefined, 'Temporarily unavailable', 'voxdesk-unavailable', 'Voxdesk is unavailable right now.'],
    [500, undefined, 'Internal error', 'voxdesk-error', 'Voxdesk could not load your phone settings: Voxdesk failed to handle this request'],
  ])('a %i %s from the settings says its own reason', async (status, type, title, problem, words) => {
    const body = { type, title, status, detail: 'Voxdesk failed to handle this request; the error was logged.' };
    vi.stubGlobal('fetch', vi.fn(async () => reply(status, body, 'application/problem+json')));
    const element = await signedInPhone('en');
    expect(element.state).toBe('failed');
    const diagnostics = byTestId(element, 'diagnostics')!;
    expect(diagnostics.dataset.problem).toBe(problem);
    expect(diagnostics.textContent).toContain(words);
  });

  it('says Voxdesk cannot be reached when nothing answers the settings request', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const element = await signedInPhone('pt-BR');
    const diagnostics = byTestId(element, 'diagnostics')!;
    expect(diagnostics.dataset.problem).toBe('voxdesk-unreachable');
    expect(diagnostics.textContent).toContain('Não foi possível alcançar o Voxdesk.');
  });

  it('says "no extension" when the API has none', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply(404, { title: 'No extension' }, 'application/problem+json')));
    const element = await signedInPhone('en');
    expect(element.state).toBe('failed');
    expect(byTestId(element, 'diagnostics')!.dataset.problem).toBe('no-extension');
  });
});
