import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeFactory } from './support/fake-sip';
import { providerKinds } from './support/provider-kinds';

const live = vi.hoisted(() => ({ listeners: [] as { record(record: unknown): void; connected?(): void }[] }));

vi.mock('../../src/realtime/live-calls', () => ({
  subscribeLiveCalls: (_base: string, _token: unknown, listener: { record(record: unknown): void }) => {
    live.listeners.push(listener);
    return () => live.listeners.splice(live.listeners.indexOf(listener), 1);
  },
  stompUrl: (base: string) => base,
}));

const { configure, SESSION_EXPIRED_EVENT } = await import('../../src/index');

type Handler = (method: string, path: string, body: unknown) => { status: number; body?: unknown } | undefined;

/** Answers fetches from `handler`, with bodies that are ready at once (only microtasks to await). */
function serve(handler: Handler) {
  const requests: { method: string; path: string; body: unknown; auth: string }[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const method = init.method ?? 'GET';
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    requests.push({ method, path, body, auth: (init.headers as Record<string, string>).Authorization ?? '' });
    const answer = handler(method, path, body) ?? { status: 404, body: { title: 'Not found' } };
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    return {
      ok: answer.status < 300,
      status: answer.status,
      statusText: '',
      headers: new Headers({ 'Content-Type': answer.status < 300 ? 'application/json' : 'application/problem+json' }),
      text: async () => text,
      blob: async () => new Blob(['RIFF']),
    } as Response;
  });
  vi.stubGlobal('fetch', fetch);
  return requests;
}

async function mount<T extends HTMLElement & { updateComplete: Promise<boolean> }>(tag: string, attributes: Record<string, string> = {}): Promise<T> {
  const element = document.createElement(tag) as T;
  element.setAttribute('lang', 'en');
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  document.body.append(element);
  await settle(element);
  return element;
}

async function settle(element: { updateComplete: Promise<boolean> }): Promise<void> {
  for (let i = 0; i < 30; i++) {
    await Promise.resolve();
  }
  await element.updateComplete;
}

function byTestId(element: HTMLElement, id: string): HTMLElement | null {
  return element.shadowRoot!.querySelector(`[data-testid="${id}"]`);
}

function all(element: HTMLElement, id: string): HTMLElement[] {
  return [...element.shadowRoot!.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
}

function type(input: HTMLElement | null, value: string): void {
  (input as HTMLInputElement).value = value;
  input!.dispatchEvent(new Event('input'));
}

beforeEach(() => {
  live.listeners.length = 0;
  configure({ apiBase: 'http://api.test', tokenProvider: async () => 'tok', lang: 'en' });
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:recording'), revokeObjectURL: vi.fn() }));
});

afterEach(() => {
  document.body.replaceChildren();
  configure({ tokenProvider: undefined, getToken: undefined, onSessionExpired: undefined, apiBase: undefined, lang: undefined });
  vi.unstubAllGlobals();
});

describe('<voxdesk-call-button>', () => {
  it('posts a click-to-call for the ticket and announces it on document', async () => {
    const requests = serve((method, path) =>
      method === 'POST' && path === '/api/tickets/T1/calls' ? { status: 202, body: { id: 'c-1', status: 'RINGING', number: '+554833328530' } } : undefined,
    );
    const button = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-call-button', { number: '(48) 3332-8530', ticket: 'T1' });
    const announced = vi.fn();
    document.addEventListener('voxdesk-call-requested', (event) => announced((event as CustomEvent).detail), { once: true });
    expect(byTestId(button, 'call-button')!.getAttribute('aria-label')).toBe('Call (48) 3332-8530');
    byTestId(button, 'call-button')!.click();
    await settle(button);
    expect(requests).toEqual([{ method: 'POST', path: '/api/tickets/T1/calls', body: { number: '(48) 3332-8530' }, auth: 'Bearer tok' }]);
    expect(announced).toHaveBeenCalledWith(expect.objectContaining({ id: 'c-1' }));
    expect(byTestId(button, 'call-button-error')).toBeNull();
  });

  it('warns when the number is on the do-not-call list, and the call still goes ahead', async () => {
    serve(() => ({ status: 202, body: { id: 'c-2', status: 'RINGING', number: '+554833328530', warning: '+554833328530 is on your organization\'s do-not-call list' } }));
    const button = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-call-button', { number: '(48) 3332-8530', ticket: 'T1' });
    byTestId(button, 'call-button')!.click();
    await settle(button);
    expect(byTestId(button, 'call-button-warning')!.textContent).toBe(
      '(48) 3332-8530 is on your organization\'s do-not-call list. The call is being placed: hang up if this person should not be called.',
    );
    expect(byTestId(button, 'call-button-error')).toBeNull();
    serve(() => ({ status: 202, body: { id: 'c-3', status: 'RINGING', number: '+554833328531', warning: null } }));
    byTestId(button, 'call-button')!.click();
    await settle(button);
    expect(byTestId(button, 'call-button-warning')).toBeNull();
  });

  it('uses /api/calls with both ids, and shows a refusal', async () => {
    const requests = serve(() => ({ status: 409, body: { title: 'No extension', detail: 'You have not set up an extension yet.' } }));
    const button = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-call-button', { number: '1', ticket: 'T1', contact: 'K1' });
    byTestId(button, 'call-button')!.click();
    await settle(button);
    expect(requests[0]).toMatchObject({ path: '/api/calls', body: { number: '1', ticketId: 'T1', contactId: 'K1' } });
    expect(byTestId(button, 'call-button-error')!.textContent).toBe('You have not set up an extension yet.');
  });
});

describe('configure({ getToken }) and an expired session', () => {
  it("feeds the elements the host's own tokens through getToken, fetched for each request", async () => {
    let issued = 0;
    configure({ tokenProvider: undefined, getToken: async () => `host-token-${++issued}` });
    const requests = serve((method, path) =>
      method === 'POST' && path === '/api/tickets/T1/calls' ? { status: 202, body: { id: 'c-1', status: 'RINGING', number: '+554833328530' } } : undefined,
    );
    const button = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-call-button', { number: '(48) 3332-8530', ticket: 'T1' });
    byTestId(button, 'call-button')!.click();
    await settle(button);
    byTestId(button, 'call-button')!.click();
    await settle(button);
    expect(requests.map((r) => r.auth)).toEqual(['Bearer host-token-1', 'Bearer host-token-2']);
    configure({ getToken: undefined });
  });

  it('tells the host once when getToken has no token any more, and shows "sign in again" instead of an error', async () => {
    const expired = vi.fn();
    const onEvent = vi.fn();
    window.addEventListener(SESSION_EXPIRED_EVENT, onEvent);
    const getToken = async (): Promise<string> => {
      throw new Error('login_required');
    };
    configure({ getToken, onSessionExpired: expired });
    const requests = serve(() => ({ status: 202, body: {} }));
    const first = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-call-button', { number: '1', ticket: 'T1' });
    const second = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-call-button', { number: '2', ticket: 'T1' });
    byTestId(first, 'call-button')!.click();
    byTestId(second, 'call-button')!.click();
    await settle(first);
    await settle(second);
    expect(requests, 'nothing is sent without a token').toEqual([]);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(expired).toHaveBeenCalledWith({ reason: 'token-unavailable', apiBase: 'http://api.test' });
    expect(onEvent).toHaveBeenCalledTimes(1);
    expect(byTestId(first, 'call-button-error')!.textContent).toContain('Your session has expired. Sign in again.');
    window.removeEventListener(SESSION_EXPIRED_EVENT, onEvent);
    configure({ getToken: undefined, onSessionExpired: undefined });
  });

  it('tells the host when Voxdesk refuses the token (401), and again after a new sign-in expires too', async () => {
    const expired = vi.fn();
    let token = 'stale';
    const getToken = async () => token;
    configure({ getToken, onSessionExpired: expired });
    serve(() => ({ status: 401, body: { title: 'Unauthorized', detail: 'The access token expired.' } }));
    const button = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-call-button', { number: '1', ticket: 'T1' });
    byTestId(button, 'call-button')!.click();
    await settle(button);
    byTestId(button, 'call-button')!.click();
    await settle(button);
    expect(expired, 'once for the same session').toHaveBeenCalledTimes(1);
    expect(expired).toHaveBeenCalledWith({ reason: 'unauthorized', apiBase: 'http://api.test' });
    expect(byTestId(button, 'call-button-error')!.textContent).toContain('Your session has expired. Sign in again.');
    // The user signs in again: a token is given (the session lives), then that one is refused in turn.
    token = 'fresh';
    serve(() => ({ status: 202, body: { id: 'c-2', status: 'RINGING', number: '1' } }));
    byTestId(button, 'call-button')!.click();
    await settle(button);
    serve(() => ({ status: 401, body: { title: 'Unauthorized' } }));
    byTestId(button, 'call-button')!.click();
    await settle(button);
    expect(expired).toHaveBeenCalledTimes(2);
    configure({ getToken: undefined, onSessionExpired: undefined });
  });
});

describe('<voxdesk-ticket-calls>', () => {
  const call = (id: string, patch: Record<string, unknown> = {}) => ({
    id,
    status: 'COMPLETED',
    number: '+554833328530',
    ticket: 'T1',
    agentName: 'Ana',
    requestedAt: '2026-11-22T10:00:00Z',
    talkSeconds: 65,
    recorded: false,
    ...patch,
  });

  it('lists the calls and merges live records of this ticket only', async () => {
    serve((_method, path) => (path === '/api/tickets/T1/calls' ? { status: 200, body: [call('a', { recorded: true })] } : undefined));
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-ticket-calls', { ticket: 'T1' });
    expect(all(element, 'ticket-call').map((li) => [li.dataset.callId, li.dataset.status])).toEqual([['a', 'COMPLETED']]);
    expect(byTestId(element, 'ticket-call')!.textContent).toContain('01:05');
    live.listeners[0]!.record(call('b', { status: 'RINGING', requestedAt: '2026-11-22T11:00:00Z' }));
    live.listeners[0]!.record(call('x', { ticket: 'OTHER' }));
    await settle(element);
    expect(all(element, 'ticket-call').map((li) => li.dataset.callId)).toEqual(['b', 'a']);
    live.listeners[0]!.record(call('b', { status: 'ANSWERED', requestedAt: '2026-11-22T11:00:00Z' }));
    await settle(element);
    expect(all(element, 'ticket-call').map((li) => li.dataset.status)).toEqual(['ANSWERED', 'COMPLETED']);
  });

  it('says when a duration is an estimate because the end was never reported', async () => {
    serve((_method, path) =>
      path === '/api/tickets/T1/calls'
        ? { status: 200, body: [call('a', { endingEstimated: true, failureReason: 'The PBX went away during the call.' }), call('b')] }
        : undefined,
    );
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-ticket-calls', { ticket: 'T1' });
    const [estimated, reported] = all(element, 'ticket-call');
    expect(estimated!.querySelector('[data-testid="ticket-call-estimated"]')!.getAttribute('title')).toBe('The PBX went away during the call.');
    expect(estimated!.textContent).toContain('estimated');
    expect(reported!.querySelector('[data-testid="ticket-call-estimated"]')).toBeNull();
  });

  it('says how a transfer went, in the reader\'s language, with the backend\'s sentence as the title', async () => {
    serve((_method, path) =>
      path === '/api/tickets/T1/calls'
        ? {
            status: 200,
            body: [
              call('a', { status: 'TRANSFERRED', transfer: { attempt: 1, mode: 'BLIND', destination: '1002', state: 'COMPLETED', detail: 'The customer was handed to 1002.' } }),
              call('b', { transfer: { attempt: 2, mode: 'ATTENDED', destination: '1003', state: 'BUSY', detail: '1003 was busy (17 User busy); the customer stayed with the agent.' } }),
              call('c'),
            ],
          }
        : undefined,
    );
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-ticket-calls', { ticket: 'T1' });
    const [completed, busy, plain] = all(element, 'ticket-call');
    const transfer = (li: HTMLElement | undefined) => li!.querySelector<HTMLElement>('[data-testid="ticket-call-transfer"]');
    expect(transfer(completed)!.textContent!.trim()).toBe('Transferred to 1002');
    expect(transfer(busy)!.dataset.state).toBe('BUSY');
    expect(transfer(busy)!.textContent!.trim()).toBe('Transfer to 1003 failed: busy');
    expect(transfer(busy)!.getAttribute('title')).toBe('1003 was busy (17 User busy); the customer stayed with the agent.');
    expect(transfer(plain)).toBeNull();
  });

  it('says which way each call went, who answered an inbound one, and why a missed one reached nobody', async () => {
    const inbound = (id: string, patch: Record<string, unknown>) =>
      call(id, { direction: 'inbound', number: '+5548999990000', agent: null, agentName: null, talkSeconds: 0, ...patch });
    serve((_method, path) =>
      path === '/api/tickets/T1/calls'
        ? {
            status: 200,
            body: [
              call('out', { direction: 'outbound' }),
              inbound('in', { callerName: 'MARIA S', agent: 'u-1', agentName: 'Bia', answeredAt: '2026-11-22T10:00:20Z', talkSeconds: 90 }),
              inbound('gave-up', { status: 'MISSED', outcome: 'ABANDONED', endedAt: '2026-11-22T10:00:40Z' }),
              inbound('unanswered', { status: 'MISSED', outcome: 'NO_ANSWER', endedAt: '2026-11-22T10:05:00Z' }),
              inbound('unrouted', { status: 'FAILED', outcome: 'NOT_CONFIGURED', number: '', endedAt: '2026-11-22T10:00:00Z' }),
              call('busy', { status: 'NO_ANSWER', outcome: 'NO_ANSWER', agentName: 'Ana' }),
            ],
          }
        : undefined,
    );
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-ticket-calls', { ticket: 'T1' });
    const rows = all(element, 'ticket-call');
    const part = (li: HTMLElement, id: string) => li.querySelector<HTMLElement>(`[data-testid="${id}"]`)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
    expect(rows.map((li) => [li.dataset.direction, part(li, 'ticket-call-direction'), part(li, 'ticket-call-agent'), part(li, 'ticket-call-outcome')])).toEqual([
      ['outbound', 'Outgoing to +554833328530', 'Agent: Ana', null],
      ['inbound', 'Incoming from MARIA S (+5548999990000)', 'Answered by Bia', null],
      ['inbound', 'Incoming from +5548999990000', null, 'The caller hung up while waiting'],
      ['inbound', 'Incoming from +5548999990000', null, 'Nobody answered'],
      ['inbound', 'Incoming from withheld number', null, 'The number is not routed'],
      ['outbound', 'Outgoing to +554833328530', 'Agent: Ana', null],
    ]);
    expect(rows[1]!.textContent).toContain('Duration: 01:30');
    expect(rows[2]!.querySelector('.status')!.textContent).toBe('Missed');
    expect(rows[2]!.textContent).toContain('Waited: 00:40');
    expect(rows[2]!.textContent).not.toContain('Duration');
    expect(rows[4]!.querySelector('[data-testid="ticket-call-outcome"]')!.getAttribute('data-outcome')).toBe('NOT_CONFIGURED');
  });

  it('words inbound and outbound calls in Brazilian Portuguese', async () => {
    serve((_method, path) =>
      path === '/api/tickets/T1/calls'
        ? {
            status: 200,
            body: [
              call('out'),
              call('in', { direction: 'inbound', agentName: 'Bia', number: '+5548999990000' }),
              call('gave-up', { direction: 'inbound', agentName: null, status: 'MISSED', outcome: 'ABANDONED', endedAt: '2026-11-22T10:00:40Z' }),
            ],
          }
        : undefined,
    );
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-ticket-calls', { ticket: 'T1', lang: 'pt-BR' });
    const [out, answered, gaveUp] = all(element, 'ticket-call').map((li) => li.textContent!.replace(/\s+/g, ' '));
    expect(out).toContain('Feita para +554833328530');
    expect(out).toContain('Agente: Ana');
    expect(answered).toContain('Recebida de +5548999990000');
    expect(answered).toContain('Atendida por Bia');
    expect(gaveUp).toContain('Perdida');
    expect(gaveUp).toContain('O cliente desligou enquanto aguardava');
    expect(gaveUp).toContain('Esperou: 00:40');
  });

  it('loads a recording with the token only when asked, as an object URL', async () => {
    const requests = serve((_method, path) => (path === '/api/tickets/T1/calls' ? { status: 200, body: [call('a', { recorded: true })] } : { status: 200 }));
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-ticket-calls', { ticket: 'T1' });
    expect(requests.map((r) => r.path)).toEqual(['/api/tickets/T1/calls']);
    expect(byTestId(element, 'ticket-call-recording')!.querySelector('audio')).toBeNull();
    byTestId(element, 'ticket-call-recording-play')!.click();
    await settle(element);
    expect(requests.at(-1)).toMatchObject({ path: '/api/calls/a/recording', auth: 'Bearer tok' });
    expect(byTestId(element, 'ticket-call-recording')!.querySelector('audio')!.getAttribute('src')).toBe('blob:recording');
  });
});

describe('<voxdesk-extension-settings>', () => {
  const stored = { extension: '1001', username: '1001', domain: 'pbx.acme.example', websocketUrl: 'wss://pbx.acme.example:8089/ws', active: true, passwordSet: true };

  it('shows the stored extension, says the password is set, and sends the password only when typed', async () => {
    const requests = serve((method, path, body) => {
      if (path === '/api/me/extension' && method === 'GET') return { status: 200, body: stored };
      if (path === '/api/me/extension/defaults') return { status: 200, body: { domain: null, websocketUrl: null, source: null } };
      if (path === '/api/me/extension' && method === 'PUT') return { status: 200, body: { ...stored, ...(body as object) } };
      return undefined;
    });
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-extension-settings');
    expect((byTestId(element, 'extension-extension') as HTMLInputElement).value).toBe('1001');
    expect(element.shadowRoot!.textContent).toContain('Password: set');
    byTestId(element, 'extension-save')!.click();
    await settle(element);
    const put = requests.find((r) => r.method === 'PUT')!;
    expect(put.body).not.toHaveProperty('password');
    expect(put.body).toMatchObject({ extension: '1001', domain: 'pbx.acme.example', active: true });
    expect(byTestId(element, 'extension-saved')).not.toBeNull();
  });

  it("puts the server's field errors next to the fields", async () => {
    serve((method, path) => {
      if (path === '/api/me/extension' && method === 'GET') return { status: 404, body: { title: 'No extension' } };
      if (path === '/api/me/extension' && method === 'PUT')
        return { status: 409, body: { title: 'Extension taken', detail: 'Extension 1001 belongs to another user.', errors: [{ field: 'extension', message: 'Extension 1001 belongs to another user.' }] } };
      return undefined;
    });
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-extension-settings');
    expect(element.shadowRoot!.textContent).toContain('Password: not set');
    type(byTestId(element, 'extension-extension'), '1001');
    type(byTestId(element, 'extension-password'), 's3cret');
    await settle(element);
    byTestId(element, 'extension-save')!.click();
    await settle(element);
    expect(byTestId(element, 'field-error-extension')!.textContent).toBe('Extension 1001 belongs to another user.');
  });

  it('refuses a bad extension before sending anything', async () => {
    const requests = serve(() => ({ status: 404, body: {} }));
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-extension-settings');
    type(byTestId(element, 'extension-extension'), 'ten ten');
    type(byTestId(element, 'extension-websocketUrl'), 'https://pbx');
    await settle(element);
    byTestId(element, 'extension-save')!.click();
    await settle(element);
    expect(requests.some((r) => r.method === 'PUT')).toBe(false);
    expect(byTestId(element, 'field-error-extension')).not.toBeNull();
    expect(byTestId(element, 'field-error-websocketUrl')).not.toBeNull();
  });

  it('tests with the stored password when none is typed, and reports the outcome', async () => {
    serve((_method, path) => {
      if (path === '/api/me/extension') return { status: 200, body: stored };
      if (path === '/api/me/webphone') return { status: 200, body: { uri: 'sip:1001@pbx.acme.example', authorizationUser: '1001', password: 'stored', websocketUrl: stored.websocketUrl } };
      return undefined;
    });
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean>; sipAgentFactory: unknown }>('voxdesk-extension-settings');
    const factory = fakeFactory();
    element.sipAgentFactory = factory;
    byTestId(element, 'extension-test')!.click();
    await settle(element);
    const agent = factory.agents[0]!;
    expect(agent.account).toMatchObject({ uri: 'sip:1001@pbx.acme.example', authorizationUser: '1001', password: 'stored', websocketUrl: stored.websocketUrl });
    agent.listener.registrationFailed('Authentication Error');
    await settle(element);
    expect(byTestId(element, 'extension-test-result')!.dataset.outcome).toBe('wrong-password');
    expect(agent.actions).toEqual(['start', 'stop']);
  });
});

describe('<voxdesk-provider-settings>', () => {
  /** Serves the installed kinds as the API does, and the rest as the handler says. */
  function serveWithKinds(handler: Handler) {
    return serve((method, path, body) =>
      path === '/api/provider-kinds' && method === 'GET' ? { status: 200, body: providerKinds } : handler(method, path, body),
    );
  }

  const connection = {
    id: 'p1',
    kind: 'ASTERISK',
    name: 'Main PBX',
    enabled: true,
    secretSet: true,
    settings: { baseUrl: 'http://pbx:8088', username: 'voxdesk', application: 'voxdesk', agentEndpoint: 'PJSIP/{extension}', outboundEndpoint: 'PJSIP/{number}@trunk', recording: 'true' },
  };

  it('edits the first connection, keeps the secret, and shows the test steps', async () => {
    const requests = serveWithKinds((method, path, body) => {
      if (path === '/api/provider-connections' && method === 'GET') return { status: 200, body: [connection] };
      if (path === '/api/provider-connections/p1' && method === 'PUT') return { status: 200, body: { ...connection, ...(body as object) } };
      if (path === '/api/provider-connections/p1/test')
        return { status: 200, body: { ok: false, summary: 'The ARI password is wrong.', steps: [{ name: 'reachable', ok: true, detail: 'Asterisk 22' }, { name: 'credentials accepted', ok: false, detail: '401' }], durationMillis: 300 } };
      return undefined;
    });
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-provider-settings');
    expect((byTestId(element, 'provider-name') as HTMLInputElement).value).toBe('Main PBX');
    expect(byTestId(element, 'provider-secret-state')!.textContent).toContain('ARI password: set');
    type(byTestId(element, 'provider-name'), 'Office PBX');
    await settle(element);
    byTestId(element, 'provider-test')!.click();
    await settle(element);
    const put = requests.find((r) => r.method === 'PUT')!;
    expect(put.body).toEqual({ kind: 'asterisk', name: 'Office PBX', enabled: true, secret: null, settings: connection.settings });
    const result = byTestId(element, 'provider-test-result')!;
    expect(result.dataset.ok).toBe('false');
    expect(all(element, 'provider-test-step').map((step) => step.dataset.ok)).toEqual(['true', 'false']);
  });

  it('maps problem field errors and connector refusals onto fields', async () => {
    let answer = { status: 400, body: { title: 'Invalid request', detail: 'bad', errors: [{ field: 'settings[baseUrl]', message: 'size must be between 0 and 500' }] } as object };
    serveWithKinds((method, path) => (path === '/api/provider-connections' && method === 'GET' ? { status: 200, body: [] } : answer));
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-provider-settings');
    type(byTestId(element, 'provider-name'), 'PBX');
    type(byTestId(element, 'provider-secret'), 's3cret');
    type(byTestId(element, 'provider-baseUrl'), 'http://pbx:8088');
    type(byTestId(element, 'provider-username'), 'voxdesk');
    await settle(element);
    byTestId(element, 'provider-save')!.click();
    await settle(element);
    expect(byTestId(element, 'field-error-baseUrl')!.textContent).toBe('size must be between 0 and 500');
    answer = { status: 400, body: { title: 'Invalid value', detail: 'application must be 1 to 64 letters, digits, _ or -.' } };
    byTestId(element, 'provider-save')!.click();
    await settle(element);
    expect(byTestId(element, 'field-error-application')!.textContent).toContain('application must be');
    expect(byTestId(element, 'provider-error')!.textContent).toContain('application must be');
  });

  it('requires the fields before sending', async () => {
    const requests = serveWithKinds((method, path) => (path === '/api/provider-connections' && method === 'GET' ? { status: 200, body: [] } : undefined));
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-provider-settings');
    byTestId(element, 'provider-save')!.click();
    await settle(element);
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
    for (const field of ['name', 'secret', 'baseUrl', 'username']) {
      expect(byTestId(element, `field-error-${field}`), field).not.toBeNull();
    }
  });

  it("renders the settings a connector declares, for a kind the component has never heard of", async () => {
    const requests = serveWithKinds((method, path, body) => {
      if (path === '/api/provider-connections' && method === 'GET') return { status: 200, body: [] };
      if (path === '/api/provider-connections' && method === 'POST') return { status: 201, body: { id: 'f1', secretSet: true, ...(body as object) } };
      return undefined;
    });
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-provider-settings');
    const kind = byTestId(element, 'provider-kind') as HTMLSelectElement;
    expect([...kind.options].map((option) => option.value)).toEqual(['asterisk', 'api4com', 'fakepbx']);
    kind.value = 'fakepbx';
    kind.dispatchEvent(new Event('change'));
    await settle(element);
    for (const name of ['account', 'region', 'answerAfterSeconds', 'sipDomain', 'statusUrl', 'recording']) {
      expect(byTestId(element, `provider-${name}`), name).not.toBeNull();
    }
    expect(byTestId(element, 'provider-baseUrl')).toBeNull();
    expect((byTestId(element, 'provider-region') as HTMLInputElement).value).toBe('sa-east');
    expect(element.shadowRoot!.querySelector('label[for="account"]')!.textContent).toContain('Account name');
    expect(byTestId(element, 'provider-secret-state')!.textContent).toContain('API key: not set');
    type(byTestId(element, 'provider-name'), 'Fake');
    type(byTestId(element, 'provider-secret'), 'Bearer 123');
    type(byTestId(element, 'provider-account'), 'globex');
    type(byTestId(element, 'provider-answerAfterSeconds'), '61');
    await settle(element);
    byTestId(element, 'provider-save')!.click();
    await settle(element);
    expect(byTestId(element, 'field-error-secret')!.textContent).toBe('Must be fk_ followed by 8 to 40 lowercase letters or digits.');
    expect(byTestId(element, 'field-error-answerAfterSeconds')!.textContent).toBe('A whole number from 0 to 60.');
    expect(requests.filter((r) => r.method === 'POST')).toEqual([]);
    type(byTestId(element, 'provider-secret'), 'fk_globex2026');
    type(byTestId(element, 'provider-answerAfterSeconds'), '5');
    await settle(element);
    byTestId(element, 'provider-save')!.click();
    await settle(element);
    expect(requests.find((r) => r.method === 'POST')!.body).toEqual({
      kind: 'fakepbx',
      name: 'Fake',
      enabled: true,
      secret: 'fk_globex2026',
      settings: { account: 'globex', region: 'sa-east', answerAfterSeconds: '5', recording: 'false' },
    });
  });

  it('tells agents the page is for admins', async () => {
    serve(() => ({ status: 403, body: { title: 'Forbidden' } }));
    const element = await mount<HTMLElement & { updateComplete: Promise<boolean> }>('voxdesk-provider-settings');
    expect(byTestId(element, 'provider-forbidden')!.textContent).toBe('Only tenant admins can manage telephony providers.');
  });
});
