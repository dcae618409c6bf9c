import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CampaignReport } from '../../src/api/types';

interface Topics {
  destinations: string[];
  listener: {
    message(destination: string, body: unknown): void;
    connected?(): void;
    disconnected?(): void;
    refused?(message: string): void;
  };
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
const { VoxdeskCampaignMonitorElement, estimateSecondsLeft, finishedContacts, orderedOutcomes } = await import(
  '../../src/components/voxdesk-campaign-monitor'
);

type Monitor = InstanceType<typeof VoxdeskCampaignMonitorElement>;

const CAMPAIGN = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const OTHER = '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a';
const TOPIC = '/topic/tenants/acme/campaigns';

/** 100 contacts, 35 of them done: 60 pending, 5 being called. */
function report(patch: Partial<CampaignReport> = {}): CampaignReport {
  return {
    campaign: CAMPAIGN,
    name: 'Lembrete de fatura',
    state: 'running',
    contacts: 100,
    byOutcome: {
      pending: 60,
      calling: 5,
      answered: 20,
      busy: 4,
      'no-answer': 6,
      machine: 2,
      'opted-out': 1,
      'do-not-call': 1,
      transferred: 1,
    },
    percentByOutcome: { pending: 60, calling: 5, answered: 20, busy: 4, 'no-answer': 6, machine: 2, 'opted-out': 1, 'do-not-call': 1, transferred: 1 },
    attempts: 48,
    attemptsPerContact: 1.3714,
    inProgress: 5,
    callsLastMinute: 12,
    talkSeconds: 1260,
    averageTalkSeconds: 63,
    answerRateByHour: [{ hour: '2026-12-07T12:00:00Z', attempts: 48, answered: 20 }],
    byKey: { '1': 7, '9': 1, '*': 2 },
    ...patch,
  };
}

/** The same campaign further on: `done` contacts finished, 5 still being called, the rest pending. */
function progressed(done: number, patch: Partial<CampaignReport> = {}): CampaignReport {
  const base = report();
  return { ...base, byOutcome: { ...base.byOutcome, pending: 100 - done - 5, calling: 5, answered: done - 15 }, ...patch };
}

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

/** Serves the report and `GET /api/tenants/me`; returns the requested paths. */
function serve(reports: () => Response = () => reply(200, report())) {
  const paths: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const { pathname } = new URL(url);
      paths.push(`${pathname} ${(init.headers as Record<string, string>).Authorization}`);
      if (pathname === '/api/tenants/me') {
        return reply(200, { userId: 'u-1', username: 'acme-admin', roles: ['tenant-admin'], tenant: { id: 'acme', name: 'Acme' } });
      }
      if (pathname.endsWith('/report')) {
        return reports();
      }
      return reply(404, { title: 'Not found' });
    }),
  );
  return paths;
}

async function settle(element: Monitor): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 40; i++) {
      await Promise.resolve();
    }
    await element.updateComplete;
  }
}

async function mount(attributes: Record<string, string> = {}, lang = 'en'): Promise<Monitor> {
  const element = document.createElement('voxdesk-campaign-monitor') as Monitor;
  element.setAttribute('lang', lang);
  element.setAttribute('api-base', 'http://api.test');
  element.setAttribute('campaign-id', CAMPAIGN);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  element.tokenProvider = async () => 'tok';
  document.body.append(element);
  await settle(element);
  return element;
}

function byTestId(element: Monitor, id: string): HTMLElement | null {
  return element.shadowRoot!.querySelector<HTMLElement>(`[data-testid="${id}"]`);
}

function need(element: Monitor, id: string): HTMLElement {
  const found = byTestId(element, id);
  if (!found) {
    throw new Error(`no [data-testid="${id}"]`);
  }
  return found;
}

function text(element: HTMLElement): string {
  return element.textContent!.replace(/\s+/g, ' ').trim();
}

/** The outcome rows: key, words, count, share. */
function outcomes(element: Monitor): string[][] {
  return [...element.shadowRoot!.querySelectorAll<HTMLElement>('tr[data-outcome]')].map((row) => [
    row.dataset.outcome!,
    ...[...row.querySelectorAll('th, td')].map((cell) => text(cell as HTMLElement)),
  ]);
}

function deliver(body: unknown, destination = TOPIC): void {
  for (const topic of live.topics.filter((candidate) => candidate.active && candidate.destinations.includes(destination))) {
    topic.listener.message(destination, body);
  }
}

beforeEach(() => {
  live.topics.length = 0;
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-12-07T12:30:00Z'));
});

afterEach(() => {
  document.body.replaceChildren();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('<voxdesk-campaign-monitor>', () => {
  it('loads the report, shows its figures, and follows the tenant\'s campaign topic', async () => {
    const paths = serve();
    const monitor = await mount();

    expect(paths).toEqual([`/api/campaigns/${CAMPAIGN}/report Bearer tok`, '/api/tenants/me Bearer tok']);
    expect(live.topics.map((topic) => topic.destinations)).toEqual([[TOPIC]]);
    expect(monitor.topic).toBe(TOPIC);
    expect(text(need(monitor, 'monitor-name'))).toBe('Lembrete de fatura');
    expect(need(monitor, 'monitor-state').dataset.state).toBe('running');
    expect(text(need(monitor, 'monitor-state'))).toBe('Running');
    expect(text(need(monitor, 'monitor-in-progress'))).toBe('5');
    expect(text(need(monitor, 'monitor-calls-per-minute'))).toBe('12');
    expect(text(need(monitor, 'monitor-attempts'))).toBe('48');
    expect(text(need(monitor, 'monitor-attempts-per-contact'))).toBe('1.4');
    expect(text(need(monitor, 'monitor-talk'))).toBe('21:00');
    expect(text(need(monitor, 'monitor-average-talk'))).toBe('01:03');

    const progress = need(monitor, 'monitor-progress');
    expect(progress.getAttribute('role')).toBe('progressbar');
    expect([progress.getAttribute('aria-valuenow'), progress.getAttribute('aria-valuemax')]).toEqual(['35', '100']);
    expect(progress.querySelector('span')!.getAttribute('style')).toBe('width: 35%');
    expect(text(need(monitor, 'monitor-progress-text'))).toBe('35 of 100 contacts done (35%)');
    // One report says nothing about the rate yet.
    expect(text(need(monitor, 'monitor-time-left'))).toBe('—');
    expect(monitor.secondsLeft).toBeNull();

    expect(outcomes(monitor)).toEqual([
      ['answered', 'Answered', '20', '20%'],
      ['machine', 'Answering machine', '2', '2%'],
      ['busy', 'Busy', '4', '4%'],
      ['no-answer', 'No answer', '6', '6%'],
      ['opted-out', 'Opted out', '1', '1%'],
      ['do-not-call', 'On the do-not-call list', '1', '1%'],
      ['calling', 'Being called', '5', '5%'],
      ['pending', 'Not called yet', '60', '60%'],
      // An outcome the monitor has no words for is shown as the server names it.
      ['transferred', 'transferred', '1', '1%'],
    ]);
    expect(text(need(monitor, 'monitor-key-1'))).toBe('1 7');
    expect(text(need(monitor, 'monitor-key-9'))).toBe('9 1');
    expect(text(need(monitor, 'monitor-key-star'))).toBe('* 2');
    expect(text(need(monitor, 'monitor-hours'))).toContain('48 20 (42%)');
  });

  it('takes the reports of its campaign from the topic, ignores other campaigns\', and estimates the time left', async () => {
    serve();
    const monitor = await mount();
    const reports = vi.fn();
    monitor.addEventListener('voxdesk-campaign-report', (event) => reports((event as CustomEvent).detail.campaign));

    // A minute later, 10 more contacts are done: 10 a minute, 55 left, so 5.5 minutes.
    vi.setSystemTime(new Date('2026-12-07T12:31:00Z'));
    deliver(progressed(45, { inProgress: 7, callsLastMinute: 15, byKey: { '1': 9, '9': 2, '#': 1 } }));
    await monitor.updateComplete;
    expect(text(need(monitor, 'monitor-in-progress'))).toBe('7');
    expect(text(need(monitor, 'monitor-calls-per-minute'))).toBe('15');
    expect(text(need(monitor, 'monitor-progress-text'))).toBe('45 of 100 contacts done (45%)');
    expect(need(monitor, 'monitor-progress').getAttribute('aria-valuenow')).toBe('45');
    expect(monitor.secondsLeft).toBe(330);
    expect(text(need(monitor, 'monitor-time-left'))).toBe('05:30');
    expect(need(monitor, 'monitor-time-left').dataset.seconds).toBe('330');
    expect(text(need(monitor, 'monitor-key-hash'))).toBe('# 1');

    // Another campaign of the tenant on the same topic changes nothing.
    deliver(report({ campaign: OTHER, name: 'Outra', inProgress: 99, contacts: 10, byOutcome: { answered: 10 }, byKey: {} }));
    await monitor.updateComplete;
    expect(text(need(monitor, 'monitor-name'))).toBe('Lembrete de fatura');
    expect(text(need(monitor, 'monitor-in-progress'))).toBe('7');
    expect(text(need(monitor, 'monitor-progress-text'))).toBe('45 of 100 contacts done (45%)');
    expect(reports.mock.calls).toEqual([[CAMPAIGN]]);

    // The rate counts from the first report: 30 done in 3 minutes, 35 left at 10 a minute.
    vi.setSystemTime(new Date('2026-12-07T12:33:00Z'));
    deliver(progressed(65));
    await monitor.updateComplete;
    expect(text(need(monitor, 'monitor-time-left'))).toBe('03:30');
  });

  it('says "—" while paused and measures the rate afresh once resumed', async () => {
    serve();
    const monitor = await mount();
    vi.setSystemTime(new Date('2026-12-07T12:31:00Z'));
    deliver(progressed(45));
    await monitor.updateComplete;
    expect(text(need(monitor, 'monitor-time-left'))).toBe('05:30');

    deliver(progressed(45, { state: 'paused', inProgress: 0 }));
    await monitor.updateComplete;
    expect(text(need(monitor, 'monitor-state'))).toBe('Paused');
    expect(text(need(monitor, 'monitor-time-left'))).toBe('—');

    // An hour of pause must not slow the estimate down.
    vi.setSystemTime(new Date('2026-12-07T13:31:00Z'));
    deliver(progressed(45));
    await monitor.updateComplete;
    expect(text(need(monitor, 'monitor-time-left'))).toBe('—');
    vi.setSystemTime(new Date('2026-12-07T13:33:00Z'));
    deliver(progressed(55));
    await monitor.updateComplete;
    // 10 in 2 minutes: 5 a minute, 45 left.
    expect(text(need(monitor, 'monitor-time-left'))).toBe('09:00');

    deliver(progressed(100, { state: 'completed', inProgress: 0, byOutcome: { answered: 80, busy: 20, pending: 0, calling: 0 } }));
    await monitor.updateComplete;
    expect(text(need(monitor, 'monitor-progress-text'))).toBe('100 of 100 contacts done (100%)');
    expect(text(need(monitor, 'monitor-time-left'))).toBe('—');
  });

  it('says "—" for the calls per minute of a server that does not send them', async () => {
    const { callsLastMinute: _left, ...older } = report();
    serve(() => reply(200, older));
    const monitor = await mount();
    expect(text(need(monitor, 'monitor-calls-per-minute'))).toBe('—');
    expect(text(need(monitor, 'monitor-name'))).toBe('Lembrete de fatura');
  });

  it('uses the tenant it is given without asking the API', async () => {
    const paths = serve();
    await mount({ tenant: 'globex' });
    expect(paths).toEqual([`/api/campaigns/${CAMPAIGN}/report Bearer tok`]);
    expect(live.topics.map((topic) => topic.destinations)).toEqual([['/topic/tenants/globex/campaigns']]);
  });

  it('shows that it is reconnecting while the feed is down, and reads the report again once back', async () => {
    let served = report();
    const paths = serve(() => reply(200, served));
    const monitor = await mount();
    const { listener } = live.topics[0]!;
    expect(byTestId(monitor, 'monitor-reconnecting')).toBeNull();

    listener.disconnected!();
    await monitor.updateComplete;
    expect(text(need(monitor, 'monitor-reconnecting'))).toBe('Connection lost, reconnecting… The figures may be out of date.');
    expect(need(monitor, 'monitor-reconnecting').parentElement!.getAttribute('role')).toBe('status');

    served = progressed(50);
    listener.connected!();
    await settle(monitor);
    expect(byTestId(monitor, 'monitor-reconnecting')).toBeNull();
    expect(paths.filter((path) => path.includes('/report'))).toHaveLength(2);
    expect(text(need(monitor, 'monitor-progress-text'))).toBe('50 of 100 contacts done (50%)');
    // Still one subscription.
    expect(live.topics).toHaveLength(1);
  });

  it('says when the server refused the live feed', async () => {
    serve();
    const monitor = await mount();
    live.topics[0]!.listener.refused!('Subscription to /topic/tenants/acme/campaigns refused');
    await monitor.updateComplete;
    expect(text(need(monitor, 'monitor-live-off'))).toBe('Live updates are off: Subscription to /topic/tenants/acme/campaigns refused');
  });

  it("shows the 403 problem's message to non-admins and does not subscribe", async () => {
    const paths = serve(() => reply(403, { title: 'Forbidden', detail: 'Only tenant admins may see campaigns.' }));
    const monitor = await mount();
    expect(text(need(monitor, 'monitor-forbidden'))).toBe('Only tenant admins may see campaigns.');
    expect(live.topics).toEqual([]);
    expect(paths).toHaveLength(1);
    expect(byTestId(monitor, 'monitor-progress')).toBeNull();
  });

  it('shows a failure to load, and another campaign when its id changes', async () => {
    let answer = reply(404, { title: 'Not found', detail: `There is no campaign ${CAMPAIGN}.` });
    serve(() => answer);
    const monitor = await mount();
    expect(text(need(monitor, 'monitor-error'))).toBe(`There is no campaign ${CAMPAIGN}.`);

    answer = reply(200, report({ campaign: OTHER, name: 'Outra' }));
    monitor.campaignId = OTHER;
    await settle(monitor);
    expect(byTestId(monitor, 'monitor-error')).toBeNull();
    expect(text(need(monitor, 'monitor-name'))).toBe('Outra');
    deliver(report({ campaign: OTHER, name: 'Outra', inProgress: 3 }));
    await monitor.updateComplete;
    expect(text(need(monitor, 'monitor-in-progress'))).toBe('3');
  });

  it('starts once the host sets the campaign and tenant just after adding it to the page', async () => {
    const paths = serve();
    const monitor = document.createElement('voxdesk-campaign-monitor') as Monitor;
    monitor.setAttribute('lang', 'en');
    monitor.setAttribute('api-base', 'http://api.test');
    monitor.tokenProvider = async () => 'tok';
    document.body.append(monitor);
    monitor.setAttribute('tenant', 'acme');
    monitor.setAttribute('campaign-id', CAMPAIGN);
    await settle(monitor);
    expect(paths).toEqual([`/api/campaigns/${CAMPAIGN}/report Bearer tok`]);
    expect(text(need(monitor, 'monitor-name'))).toBe('Lembrete de fatura');
    expect(live.topics.map((topic) => topic.destinations)).toEqual([[TOPIC]]);
  });

  it('leaves the topic when removed from the page', async () => {
    serve();
    const monitor = await mount();
    monitor.remove();
    expect(live.topics[0]!.active).toBe(false);
  });

  it('speaks Brazilian Portuguese', async () => {
    serve();
    const monitor = await mount({}, 'pt-BR');
    expect(text(need(monitor, 'monitor-state'))).toBe('Em andamento');
    expect(text(need(monitor, 'monitor-progress-text'))).toBe('35 de 100 contatos concluídos (35%)');
    expect(text(need(monitor, 'monitor-attempts-per-contact'))).toBe('1,4');
    expect(outcomes(monitor).slice(0, 2)).toEqual([
      ['answered', 'Atendeu', '20', '20%'],
      ['machine', 'Secretária eletrônica', '2', '2%'],
    ]);
    expect(monitor.shadowRoot!.textContent).toContain('Tempo restante (estimativa)');
    expect(monitor.shadowRoot!.textContent).toContain('ainda sem dados suficientes');
  });
});

describe('campaign progress', () => {
  it('counts as done every contact not pending or being called', () => {
    expect(finishedContacts(report())).toBe(35);
    expect(finishedContacts(report({ contacts: 3, byOutcome: { answered: 1, pending: 2 } }))).toBe(1);
    expect(finishedContacts(report({ contacts: 0, byOutcome: {} }))).toBe(0);
  });

  it('estimates from the first and the last sample, and only once contacts were finished between them', () => {
    expect(estimateSecondsLeft([], 100)).toBeNull();
    expect(estimateSecondsLeft([{ at: 0, finished: 10 }], 100)).toBeNull();
    expect(estimateSecondsLeft([{ at: 0, finished: 10 }, { at: 60_000, finished: 10 }], 100)).toBeNull();
    expect(estimateSecondsLeft([{ at: 0, finished: 10 }, { at: 30_000, finished: 12 }, { at: 60_000, finished: 20 }], 100)).toBe(480);
    expect(estimateSecondsLeft([{ at: 0, finished: 90 }, { at: 60_000, finished: 100 }], 100)).toBe(0);
  });

  it('orders outcomes ended first, still open after, unknown ones last', () => {
    expect(orderedOutcomes({ pending: 1, weird: 2, answered: 3, calling: 4, failed: 5 })).toEqual(['answered', 'failed', 'calling', 'pending', 'weird']);
  });
});
