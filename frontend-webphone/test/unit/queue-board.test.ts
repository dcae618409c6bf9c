import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueBoard } from '../../src/api/types';

interface Topics {
  destinations: string[];
  listener: { message(destination: string, body: unknown): void; connected?(): void; refused?(message: string): void };
  active: boolean;
}

const live = vi.hoisted(() => ({ topics: [] as Topics[] }));

vi.mock('../../src/realtime/live-calls', () => ({
  subscribeLiveCalls: () => () => undefined,
  subscribeTopics: (_base: string, _token: unknown, destinations: readonly string[], listener: Topics['listener']) => {
    const entry: Topics = { destinations: [...destinations], listener, active: true };
    live.topics.push(entry);
    return () => {
      entry.active = false;
    };
  },
  stompUrl: (base: string) => base,
}));

await import('../../src/index');
const { BOARD_REFRESH_DELAY_MS, VoxdeskQueueBoardElement } = await import('../../src/components/voxdesk-queue-board');

type Board = InstanceType<typeof VoxdeskQueueBoardElement>;

const SUPPORT = '0f8a6b1e-3d5c-4b8e-9f6a-2c1d7e9b4a10';
const SALES = '5a1c2e3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

function snapshot(patch: Partial<QueueBoard> = {}): QueueBoard {
  return {
    tenantId: 'acme',
    at: '2026-12-05T19:40:00Z',
    queues: [
      {
        id: SUPPORT,
        name: 'Support',
        waiting: [
          {
            callId: 'c-1',
            number: '+5548999990000',
            callerName: 'MARIA S',
            contactName: 'Maria Souza',
            queuedAt: '2026-12-05T19:39:20Z',
            ringing: ['acme-agent', 'acme-bia'],
          },
          { callId: 'c-2', number: '', callerName: null, contactName: null, queuedAt: '2026-12-05T19:39:55Z', ringing: [] },
        ],
        agents: [
          { userId: 'u-1', username: 'acme-agent', presence: 'available', reason: null, callId: null, callNumber: null },
          { userId: 'u-2', username: 'acme-bia', presence: 'away', reason: 'lunch', callId: null, callNumber: null },
          { userId: 'u-3', username: 'acme-caio', presence: 'on-call', reason: null, callId: 'c-0', callNumber: '+554833328530' },
          { userId: 'u-4', username: 'acme-dani', presence: 'wrap-up', reason: null, callId: null, callNumber: null },
          { userId: 'u-5', username: 'acme-edu', presence: 'offline', reason: null, callId: null, callNumber: null },
        ],
        today: { offered: 10, answered: 7, missed: 3, answeredWithin20s: 5, averageWaitSeconds: 14 },
      },
      {
        id: SALES,
        name: 'Sales',
        waiting: [],
        agents: [],
        today: { offered: 0, answered: 0, missed: 0, answeredWithin20s: 0, averageWaitSeconds: null },
      },
    ],
    ...patch,
  };
}

/** A response whose body is ready at once, so that awaiting it takes only microtasks. */
function reply(status: number, body: unknown): Response {
  const text = JSON.stringify(body);
  return {
    ok: status < 300,
    status,
    statusText: '',
    headers: new Headers({ 'Content-Type': status < 300 ? 'application/json' : 'application/problem+json' }),
    text: async () => text,
  } as Response;
}

/** The `zone` parameter of each request. */
const zones: (string | null)[] = [];

/** Answers every request with the next of `answers` (the last one repeats); returns the requested paths. */
function serve(...answers: (() => Response | Promise<Response>)[]) {
  const paths: string[] = [];
  zones.length = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const { pathname, searchParams } = new URL(url);
      paths.push(pathname);
      zones.push(searchParams.get('zone'));
      return answers[Math.min(paths.length, answers.length) - 1]!();
    }),
  );
  return paths;
}

async function settle(element: Board): Promise<void> {
  for (let i = 0; i < 30; i++) {
    await Promise.resolve();
  }
  await element.updateComplete;
}

async function mount(lang = 'en'): Promise<Board> {
  const element = document.createElement('voxdesk-queue-board') as Board;
  element.setAttribute('lang', lang);
  element.setAttribute('api-base', 'http://api.test');
  element.tokenProvider = async () => 'tok';
  document.body.append(element);
  await settle(element);
  return element;
}

function byTestId(root: HTMLElement | ShadowRoot, id: string): HTMLElement {
  const scope = root instanceof HTMLElement && root.shadowRoot ? root.shadowRoot : root;
  const found = scope.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!found) {
    throw new Error(`no [data-testid="${id}"]`);
  }
  return found;
}

function text(element: HTMLElement): string {
  return element.textContent!.replace(/\s+/g, ' ').trim();
}

beforeEach(() => {
  live.topics.length = 0;
  vi.useFakeTimers();
  // The browser's clock is 5 minutes behind the server's: waits must count on the server's.
  vi.setSystemTime(new Date('2026-12-05T19:35:00Z'));
});

afterEach(() => {
  document.body.replaceChildren();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('<voxdesk-queue-board>', () => {
  it('shows each queue: callers waiting and who is rung, agents with presence and call, and today', async () => {
    const paths = serve(() => reply(200, snapshot()));
    const board = await mount();

    expect(paths).toEqual(['/api/queue-board']);
    expect(zones).toEqual([Intl.DateTimeFormat().resolvedOptions().timeZone]);
    const support = byTestId(board, `queue-${SUPPORT}`);
    expect(text(support.querySelector('h3')!)).toBe('Support');
    expect(text(byTestId(support, 'waiting-count'))).toBe('2 waiting');
    const maria = byTestId(support, 'waiting-c-1');
    expect(text(maria)).toContain('Maria Souza');
    expect(text(maria)).toContain('+5548999990000');
    expect(text(byTestId(support, 'waiting-c-1-wait'))).toBe('00:40');
    expect(text(byTestId(support, 'waiting-c-1-ringing'))).toBe('Ringing: acme-agent, acme-bia');
    expect(text(byTestId(support, 'waiting-c-2'))).toContain('withheld number');
    expect(text(byTestId(support, 'waiting-c-2-ringing'))).toBe('No phone ringing yet');

    const agents = [...support.querySelectorAll<HTMLElement>('tbody tr')].map((row) => [
      row.dataset.testid,
      row.dataset.presence,
      text(row.querySelector('[data-testid$="-presence"]')!),
      text(row.querySelector('[data-testid$="-call"]')!),
    ]);
    expect(agents).toEqual([
      ['agent-acme-agent', 'available', 'Available', 'None'],
      ['agent-acme-bia', 'away', 'Away: lunch', 'None'],
      ['agent-acme-caio', 'on-call', 'On a call', '+554833328530'],
      ['agent-acme-dani', 'wrap-up', 'Wrapping up', 'None'],
      ['agent-acme-edu', 'offline', 'Offline', 'None'],
    ]);
    expect(support.querySelectorAll('thead th')).toHaveLength(3);

    const today = (id: string) => text(byTestId(support, id));
    expect([today('today-offered'), today('today-answered'), today('today-missed'), today('today-answered-within-20s')]).toEqual([
      '10', '7', '3', '5',
    ]);
    expect(today('today-average-wait')).toBe('00:14');

    const sales = byTestId(board, `queue-${SALES}`);
    expect(text(byTestId(sales, 'waiting-count'))).toBe('Nobody waiting');
    expect(byTestId(sales, 'waiting-count').getAttribute('role')).toBe('status');
    expect(text(byTestId(sales, 'agents-empty'))).toBe('No agents in this queue');
    expect(text(byTestId(sales, 'today-average-wait'))).toBe('none yet');

    expect(live.topics.map((topic) => topic.destinations)).toEqual([['/topic/tenants/acme/calls', '/topic/tenants/acme/presence']]);
  });

  it('says when there are no queues, counting today from midnight in the zone it is given', async () => {
    serve(() => reply(200, snapshot({ queues: [] })));
    const board = await mount();
    expect(text(byTestId(board, 'queue-board-empty'))).toBe('No queues');
    board.zone = 'America/Sao_Paulo';
    await settle(board);
    expect(zones.at(-1)).toBe('America/Sao_Paulo');
  });

  it('ticks the waits every second on the server clock', async () => {
    serve(() => reply(200, snapshot()));
    const board = await mount();
    const wait = () => text(byTestId(board, 'waiting-c-1-wait'));
    expect(wait()).toBe('00:40');
    await vi.advanceTimersByTimeAsync(1000);
    await board.updateComplete;
    expect(wait()).toBe('00:41');
    await vi.advanceTimersByTimeAsync(2000);
    await board.updateComplete;
    expect(wait()).toBe('00:43');
    expect(text(byTestId(board, 'waiting-c-2-wait'))).toBe('00:08');
  });

  it('fetches again once, shortly after a burst of live messages', async () => {
    const answered = snapshot({
      at: '2026-12-05T19:40:05Z',
      queues: [{ ...snapshot().queues[0]!, waiting: [] }],
    });
    const paths = serve(
      () => reply(200, snapshot()),
      () => reply(200, answered),
    );
    const board = await mount();
    const topics = live.topics[0]!;
    topics.listener.message('/topic/tenants/acme/calls', { id: 'c-1', status: 'ANSWERED' });
    topics.listener.message('/topic/tenants/acme/presence', { username: 'acme-agent', state: 'on-call' });

    await vi.advanceTimersByTimeAsync(BOARD_REFRESH_DELAY_MS - 1);
    expect(paths).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle(board);
    expect(paths).toEqual(['/api/queue-board', '/api/queue-board']);
    expect(text(byTestId(byTestId(board, `queue-${SUPPORT}`), 'waiting-count'))).toBe('Nobody waiting');
    expect(board.shadowRoot!.querySelector(`[data-testid="queue-${SALES}"]`)).toBeNull();

    await vi.advanceTimersByTimeAsync(5000);
    expect(paths).toHaveLength(2);
    // The same tenant: no second subscription.
    expect(live.topics).toHaveLength(1);
  });

  it('keeps one request in flight and makes one more after it when messages came meanwhile', async () => {
    let release: (() => void) | undefined;
    const paths = serve(
      () => reply(200, snapshot()),
      () => new Promise<Response>((resolve) => (release = () => resolve(reply(200, snapshot())))),
      () => reply(200, snapshot({ queues: [] })),
    );
    const board = await mount();
    const { listener } = live.topics[0]!;
    listener.message('/topic/tenants/acme/calls', {});
    await vi.advanceTimersByTimeAsync(BOARD_REFRESH_DELAY_MS);
    expect(paths).toHaveLength(2);

    listener.message('/topic/tenants/acme/calls', {});
    listener.message('/topic/tenants/acme/presence', {});
    await vi.advanceTimersByTimeAsync(BOARD_REFRESH_DELAY_MS * 4);
    expect(paths).toHaveLength(2);

    release!();
    await settle(board);
    await vi.advanceTimersByTimeAsync(BOARD_REFRESH_DELAY_MS);
    await settle(board);
    expect(paths).toHaveLength(3);
    expect(byTestId(board, 'queue-board-empty')).toBeTruthy();
  });

  it('fetches again after the live feed reconnects, and says when it was refused', async () => {
    const paths = serve(() => reply(200, snapshot()));
    const board = await mount();
    const { listener } = live.topics[0]!;
    listener.refused!('Connection lost');
    await board.updateComplete;
    expect(board.shadowRoot!.textContent).toContain('Live updates are off: Connection lost');

    listener.connected!();
    await vi.advanceTimersByTimeAsync(BOARD_REFRESH_DELAY_MS);
    await settle(board);
    expect(paths).toHaveLength(2);
    expect(board.shadowRoot!.textContent).not.toContain('Live updates are off');
  });

  it("shows the 403 problem's message to non-admins and does not follow the tenant's topics", async () => {
    serve(() => reply(403, { title: 'Forbidden', detail: 'Only tenant admins may see the queue board.' }));
    const board = await mount();
    const forbidden = byTestId(board, 'queue-board-forbidden');
    expect(text(forbidden)).toBe('Only tenant admins may see the queue board.');
    expect(forbidden.getAttribute('role')).toBe('alert');
    expect(live.topics).toEqual([]);
    expect(board.shadowRoot!.querySelector('section.queue')).toBeNull();
  });

  it('speaks Brazilian Portuguese', async () => {
    serve(() => reply(200, snapshot()));
    const board = await mount('pt-BR');
    const support = byTestId(board, `queue-${SUPPORT}`);
    const headings = [...board.shadowRoot!.querySelectorAll('h2, h4')].slice(0, 4).map((h) => text(h as HTMLElement));
    expect(headings).toEqual(['Painel das filas', 'Na espera', 'Agentes', 'Hoje']);
    expect(text(byTestId(support, 'waiting-count'))).toBe('2 aguardando');
    expect(text(byTestId(support, 'waiting-c-1'))).toContain('aguardando há 00:40');
    expect(text(byTestId(support, 'waiting-c-1-ringing'))).toBe('Tocando para: acme-agent, acme-bia');
    expect(text(byTestId(support, 'waiting-c-2'))).toContain('número oculto');
    expect(text(byTestId(support, 'agent-acme-bia-presence'))).toBe('Ausente: lunch');
    expect(text(byTestId(support, 'agent-acme-caio-presence'))).toBe('Em ligação');
    expect(text(byTestId(support, 'agent-acme-agent-call'))).toBe('Nenhuma');
    expect(text(support.querySelector('dl')!)).toContain('Atendidas em até 20 s');
    const sales = byTestId(board, `queue-${SALES}`);
    expect(text(byTestId(sales, 'waiting-count'))).toBe('Ninguém aguardando');
    expect(text(byTestId(sales, 'today-average-wait'))).toBe('ainda sem dados');
  });

  it('stops its timers and leaves the topics when removed from the page', async () => {
    serve(() => reply(200, snapshot()));
    const board = await mount();
    live.topics[0]!.listener.message('/topic/tenants/acme/calls', {});
    expect(vi.getTimerCount()).toBe(2);
    board.remove();
    expect(live.topics[0]!.active).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
