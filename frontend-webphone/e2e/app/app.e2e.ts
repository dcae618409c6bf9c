/**
 * The webphone with the real application (issue 5, point 7 last part, and point 8's screenshots): the demo CRM
 * page, signed in through Keycloak, click-to-call through the Voxdesk API, the Asterisk connector driving the ARI
 * simulator, and the agent leg arriving over real SIP (Kamailio) from a stand-in PBX user agent in a second
 * Chromium, answered by the phone by itself. The last test (issue 17 point 15) is a tenant admin's voice campaign in
 * <voxdesk-campaigns> and <voxdesk-campaign-monitor>: typed text to speech, start, live figures, pause, resume, PDF.
 * See e2e/app/README.md.
 *
 * Runs through vitest.app.config.ts (npm run test:e2e:app); the rig's vitest.e2e.config.ts excludes e2e/app.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeAll, launchAgent, type Agent } from '../support/browser';
import { buildJsSipBundle } from '../support/jssip-bundle';
import { startKamailio, type Kamailio, type KamailioOptions } from '../support/kamailio';
import { freePort } from '../support/ports';
import { translate, type Lang, type MessageKey } from '../../src/i18n';
import { distDir, e2eDir, projectDir, resultsDir } from '../support/paths';
import { requireDist } from '../support/phone';
import { screenshot } from '../support/screenshots';
import { describeFlow, expectAudioFlowing, expectPairOnThisMachine } from '../support/stats';
import { waitUntil } from '../support/wait';
import {
  allowOriginInKeycloak,
  api,
  DEMO_PASSWORD,
  fakeConnectorJar,
  HOST_ORIGIN,
  keycloakUrl,
  recreateDatabase,
  requireKeycloak,
  startApp,
  startSimulator,
  type Api,
  type App,
  type SimChannel,
  type Simulator,
} from './support/backend';
import { startKamailioAgain } from './support/kamailio';
import { elementScreenshot, monitorFigures, pdfHasText, pdfText } from './support/campaigns';
import { startPageServer, type PageServer } from './support/pages';

const SIP_DOMAIN = '127.0.0.1';
const AGENT_EXTENSION = '1001';
const PBX_USER = 'pbx';
/** passwords of this run only (Kamailio's user table and the agent's extension) */
const AGENT_SIP_PASSWORD = `e2e-${crypto.randomBytes(9).toString('hex')}`;
const PBX_SIP_PASSWORD = `e2e-${crypto.randomBytes(9).toString('hex')}`;
/** a second phone (raw JsSIP in the stand-in PBX's browser) that the agent dials by keyboard */
const SECOND_EXTENSION = '1002';
const SECOND_SIP_PASSWORD = `e2e-${crypto.randomBytes(9).toString('hex')}`;
/** the first phone of the demo ticket; the contact created below owns it */
const CUSTOMER_NUMBER = '(48) 3332-8530';
const CUSTOMER_DIALLED = '554833328530';
/**
 * The inbound tests (issue 16 point 16): a customer who is a contact with an open ticket calls the tenant's support
 * number, routed to a queue of acme-agent (1001) and acme-admin (1002); a second number's queue has acme-agent alone.
 * The network presents the caller's national number and its own caller name, not the contact's.
 */
const INBOUND_CALLER = '48991234567';
const INBOUND_CALLER_E164 = '+5548991234567';
const INBOUND_CONTACT = 'Maria Souza';
const INBOUND_NETWORK_NAME = 'CELULAR SC';
const INBOUND_TICKET_SUBJECT = 'Fatura cobrada em dobro';
const SUPPORT_QUEUE = 'Suporte (e2e)';
const CALLBACK_QUEUE = 'Retornos (e2e)';
/** the tenant's numbers as routed (national, like the Java tests) and as the PBX's dialplan passes them (55…) */
const SUPPORT_DID = '4833404000';
const CALLBACK_DID = '4833404001';
const ADMIN_USER = 'acme-admin';
/** the API key of acme's account on the Fake PBX (the test-only third connector) */
const FAKE_PBX_KEY = `fk_${crypto.randomBytes(6).toString('hex')}`;
/**
 * The voice campaign (issue 17 point 15): contacts of a tag of this run, called one at a time, each answered by a
 * person (a short "Alô?": 900 ms of talk, then silence) who hears the typed text spoken, after which Voxdesk hangs up.
 * The channel limit is what an admin would have set on the PBX connection (the rig's connection has none).
 */
const CAMPAIGN_CONTACTS = 6;
const CAMPAIGN_CHANNEL_LIMIT = 4;
const CAMPAIGN_TAG = `e2e-campaign-${crypto.randomBytes(3).toString('hex')}`;
const CAMPAIGN_NAME = `Invoice reminder (e2e ${CAMPAIGN_TAG.slice(-6)})`;
const CAMPAIGN_TEXT = 'Hello, this is Acme Telecom. Your new invoice is ready. Thank you.';
const CAMPAIGN_AUDIO_NAME = `Invoice reminder message (e2e ${CAMPAIGN_TAG.slice(-6)})`;
const CAMPAIGN_CALLER_ID = '554833330100';
/** the contacts' numbers as typed, and as the PBX dials them on the trunk (E.164 digits) */
const CAMPAIGN_NUMBERS = Array.from({ length: CAMPAIGN_CONTACTS }, (_, i) => `(48) 3771-20${String(i + 1).padStart(2, '0')}`);
const CAMPAIGN_DIALLED = CAMPAIGN_NUMBERS.map((n) => `55${n.replace(/\D/g, '')}`);
/** how long the paused campaign is watched for a new call: 6 of the dialer's 500 ms passes */
const PAUSE_WATCH_MS = 3_000;
const NOTE = `Cliente confirmou que o modem voltou a funcionar (e2e ${new Date().toISOString()})`;
const DISPOSITION = 'callback';

const logDir = path.join(resultsDir, 'app-e2e');
const timingsFile = path.join(resultsDir, 'webphone-app-timings.json');

type CallRecord = {
  id: string;
  status: string;
  outcome: string | null;
  number: string;
  ticket: string | null;
  agentExtension: string | null;
  agentAnsweredAt: string | null;
  answeredAt: string | null;
  note: string | null;
  disposition: string | null;
  direction?: string;
  agent?: string | null;
  agentName?: string | null;
  contact?: string | null;
  callerName?: string | null;
  queue?: string | null;
};
type Callback = {
  id: string;
  state: string;
  number: string;
  callerName: string | null;
  contact: string | null;
  ticket: string | null;
  queue: string | null;
  lastCall: string;
  lastOutcome: string;
  missedCalls: number;
};
type BoardQueue = {
  id: string;
  name: string;
  waiting: Array<{ callId: string; number: string; ringing: string[] }>;
  agents: Array<{ username: string; presence: string }>;
};
type TimelineEntry = { sequence: number; type: string; summary: string; data: Record<string, unknown> };
type VxRecord = { type: string; detail: unknown; t: number; epoch: number };
/** detail: the click count, 0 for a click made by the keyboard (Enter/Space on a button, implicit form submission) */
type VxClick = { testids: string[]; t: number; epoch: number; detail: number };
/** a STOMP frame the page received (`in`) or sent (`out`) on the application's /ws: its command and destination */
type VxStomp = { dir: 'in' | 'out'; command: string; destination: string | null; body: string | null; t: number };
type VxWindow = { __vx: { events: VxRecord[]; clicks: VxClick[]; submits: number[]; loadId: string; stomp: VxStomp[] } };
type RigState = {
  registration: string;
  failedCause: string | null;
  callState: string;
  endCause: string | null;
  registrations: number;
  transport: string;
  incoming: { from: string | null; state: string; cause: string | null } | null;
};
type RigWindow = {
  rig: {
    state: RigState;
    start(): void;
    call(target: string, opts: { headers: string[]; fromUserName?: string; fromDisplayName?: string }): void;
    hangup(opts?: { status_code?: number; reason_phrase?: string }): void;
    reject(): void;
    stop(): void;
  };
};

let kam: Kamailio | undefined;
let kamOptions: KamailioOptions;
let sim: Simulator | undefined;
let app: App | undefined;
let server: PageServer | undefined;
let bundle: Awaited<ReturnType<typeof buildJsSipBundle>> | undefined;
let agent: Agent | undefined;
let pbx: Agent | undefined;
let platform: Api, admin: Api, agentApi: Api;
let pageOrigin = '';
let pagesMode: 'app' | 'proxy' = 'proxy';
/** Puts Keycloak's voxdesk-web client back as it was, when this run allowed the page's origin there. */
let restoreKeycloak: (() => Promise<void>) | undefined;
let ticketId = '';
let contactId = '';
let connectionId = '';
/** the second agent's browser (acme-admin at extension 1002), started by the inbound tests */
let agent2: Agent | undefined;
/** the agent page's requests that got an HTTP error, for failure messages and the report */
const failedResponses: string[] = [];
const passedTests: string[] = [];
const runStarted = Date.now();
const timings: Record<string, unknown> = {};

/**
 * Records, in the page, every voxdesk-* event (with performance.now() and Date.now()), every click with the
 * data-testids on its composed path (open shadow roots included) and its detail (0 when made by the keyboard),
 * the login form's submit, and the STOMP frames on the application's WebSocket (/ws; heartbeats left out): what
 * the components subscribed to and what the server pushed (an inbound caller's offer), read without changing them.
 */
const INSTRUMENT = `(() => {
  const vx = { events: [], clicks: [], submits: [], loadId: Math.random().toString(36).slice(2), stomp: [] };
  window.__vx = vx;
  const frame = (dir, data) => {
    if (typeof data !== 'string' || !data.trim()) return;
    const [head, ...rest] = data.split('\\n\\n');
    const lines = head.replace(/^\\s+/, '').split('\\n');
    const destination = (lines.find((l) => l.startsWith('destination:')) || '').slice(12) || null;
    const body = rest.join('\\n\\n').replace(/\\0\\s*$/, '') || null;
    vx.stomp.push({ dir, command: lines[0], destination, body, t: performance.now() });
  };
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      if (new URL(String(url), location.href).pathname.endsWith('/ws')) {
        this.addEventListener('message', (e) => frame('in', e.data));
        const send = this.send.bind(this);
        this.send = (data) => { frame('out', data); return send(data); };
      }
    }
  };
  const types = ['voxdesk-registered', 'voxdesk-registration-failed', 'voxdesk-incoming', 'voxdesk-call-state',
    'voxdesk-call-ended', 'voxdesk-call-requested', 'voxdesk-dtmf-received', 'voxdesk-campaign-saved',
    'voxdesk-campaign-state', 'voxdesk-campaign-selected', 'voxdesk-campaign-report'];
  for (const type of types) {
    document.addEventListener(type, (e) => {
      let detail = null;
      try { detail = JSON.parse(JSON.stringify(e.detail ?? null)); } catch { detail = String(e.detail); }
      vx.events.push({ type, detail, t: performance.now(), epoch: Date.now() });
    }, true);
  }
  document.addEventListener('click', (e) => {
    const testids = e.composedPath().map((n) => (n && n.getAttribute ? n.getAttribute('data-testid') : null)).filter(Boolean);
    vx.clicks.push({ testids, t: performance.now(), epoch: Date.now(), detail: e.detail });
  }, true);
  document.addEventListener('submit', () => vx.submits.push(performance.now()), true);
})();`;

async function vx(page: Page): Promise<VxWindow['__vx']> {
  return page.evaluate(() => (window as unknown as VxWindow).__vx);
}

async function vxEvents(page: Page, type: string): Promise<VxRecord[]> {
  return (await vx(page)).events.filter((e) => e.type === type);
}

async function phoneAttr(page: Page, name: string): Promise<string | null> {
  return page.evaluate((n) => document.querySelector('voxdesk-phone')?.getAttribute(n) ?? null, name);
}

async function expectPhone(page: Page, name: string, value: string, timeout = 15_000): Promise<void> {
  await waitUntil(() => phoneAttr(page, name), (v) => v === value, { timeout, interval: 25, message: `<voxdesk-phone ${name}="${value}">` });
}

async function rigState(page: Page): Promise<RigState> {
  return page.evaluate(() => (window as unknown as RigWindow).rig.state);
}

async function getCall(id: string): Promise<CallRecord> {
  return (await agentApi.expect<CallRecord>(200, 'GET', `/api/calls/${id}`)).body;
}

async function simChannelsOf(callId: string): Promise<SimChannel[]> {
  return (await sim!.channels()).filter((c) => c.id.endsWith(callId));
}

function tail(text: string | undefined, lines: number, filter?: (l: string) => boolean): string {
  const all = (text ?? '').split('\n');
  return (filter ? all.filter(filter) : all).slice(-lines).join('\n');
}

function diagnostics(): string {
  return [
    `pages served by: ${pagesMode} (${pageOrigin}); origin added to Keycloak for the run: ${!!restoreKeycloak}`,
    '--- agent browser console ---',
    (agent?.console ?? []).slice(-60).join('\n'),
    '--- stand-in PBX browser console ---',
    (pbx?.console ?? []).slice(-30).join('\n'),
    ...(agent2 ? ['--- second agent browser console ---', agent2.console.slice(-40).join('\n')] : []),
    '--- agent page: requests answered with an HTTP error ---',
    failedResponses.slice(-20).join('\n'),
    '--- page server misses / proxy errors ---',
    [...(server?.misses ?? []), ...(server?.proxyErrors ?? [])].slice(-20).join('\n'),
    '--- kamailio (SIP flow) ---',
    tail(kam?.log(), 40, (l) => l.includes('rig:')),
    `--- ARI simulator (${sim?.logFile}) ---`,
    sim?.tail(20) ?? '',
    `--- application (${app?.logFile}) ---`,
    tail(app?.tail(200), 50, (l) => !l.includes('DEBUG')),
  ].join('\n');
}

/** Runs a test body; a failure carries the browsers' consoles, the SIP flow and the backend's logs. */
async function withDiagnostics(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    const error = e as Error;
    error.message = `${error.message}\n${diagnostics()}`;
    throw error;
  }
}

/**
 * Signs in on the demo page the way it does it (authorization code with PKCE, oidc-client-ts): its sign-in button,
 * the user name and password typed into Keycloak's own login page, then back on the demo page, signed in. With
 * `keyboard`, no pointer is used (Enter on the button and in the password field). Returns when the password was
 * submitted (epoch ms).
 */
async function signIn(page: Page, url: string, username: string, options: { keyboard?: boolean } = {}): Promise<number> {
  await page.goto(url);
  // oidc-client-ts keeps the session in this tab's sessionStorage: start signed out, whoever signed in here before.
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  const button = page.locator('#sign-in');
  await button.waitFor({ state: 'visible', timeout: 15_000 });
  if (options.keyboard) {
    await button.focus();
    await button.press('Enter');
  } else {
    await button.click();
  }
  const submittedAt = await typeIntoKeycloak(page, username, options);
  await page.locator('#session').waitFor({ state: 'visible', timeout: 15_000 });
  expect(page.url(), 'the code and state are gone from the address').not.toMatch(/[?&](code|state)=/);
  return submittedAt;
}

/** On Keycloak's login page (the browser was just sent there): the user's name and password, submitted. */
async function typeIntoKeycloak(page: Page, username: string, options: { keyboard?: boolean } = {}): Promise<number> {
  await page.waitForURL((u) => u.origin === new URL(keycloakUrl).origin, { timeout: 15_000 });
  // Someone signed in at Keycloak in this browser before: its form asks that user to re-authenticate, and "Restart
  // login" lets another user sign in.
  await page.locator('#username, #reset-login').first().waitFor({ state: 'visible', timeout: 15_000 });
  if (await page.locator('#reset-login').isVisible()) {
    await page.locator('#reset-login').click();
  }
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(DEMO_PASSWORD);
  const submittedAt = Date.now();
  if (options.keyboard) {
    await page.locator('#password').press('Enter');
  } else {
    await page.locator('#kc-login').click();
  }
  return submittedAt;
}

/** The demo page on `ticket`, signed in as `username` through Keycloak's login page, the phone registered. */
async function openDemo(page: Page, username: string, ticket: string): Promise<void> {
  await signIn(page, `${pageOrigin}/demo/index.html?${new URLSearchParams({ ticket, keycloak: keycloakUrl })}`, username);
  await expectPhone(page, 'data-state', 'registered', 30_000);
  await page.locator('voxdesk-ticket-calls').getByTestId('ticket-calls').waitFor({ state: 'visible' });
}

/** The STOMP frames the page received on `destination` (bodies parsed as JSON). */
async function stompMessages<T>(page: Page, destination: string): Promise<T[]> {
  return (await vx(page)).stomp
    .filter((f) => f.dir === 'in' && f.command === 'MESSAGE' && f.destination === destination)
    .map((f) => JSON.parse(f.body ?? 'null') as T);
}

/**
 * The page's STOMP feed is connected and subscribed to `/user/queue/offers`, and the server delivers to it: a
 * presence change made now through the API arrives on `/user/queue/presence` (subscribed in the same breath as the
 * offers, after them). Without this a caller offered right after the sign-in could beat the subscription.
 */
async function expectFeedLive(page: Page, user: Api): Promise<void> {
  await waitUntil(
    async () => (await vx(page)).stomp.filter((f) => f.dir === 'out' && f.command === 'SUBSCRIBE').map((f) => f.destination),
    (d) => d.includes('/user/queue/offers') && d.includes('/user/queue/presence'),
    { timeout: 15_000, message: `${user.username}'s page subscribed to /user/queue/offers and /user/queue/presence` },
  );
  const before = (await stompMessages(page, '/user/queue/presence')).length;
  await user.expect(200, 'PUT', '/api/me/presence', { state: 'available' });
  await waitUntil(() => stompMessages<{ chosen: string }>(page, '/user/queue/presence'), (m) => m.length > before && m[m.length - 1]!.chosen === 'available', {
    timeout: 15_000,
    message: `${user.username}'s page got its presence over STOMP`,
  });
  await waitUntil(() => page.locator('voxdesk-phone').getByTestId('presence').inputValue({ timeout: 1000 }), (v) => v === 'available', {
    message: `${user.username}'s phone shows "available"`,
  });
}

/** Whether the phone's ringer plays (the WebAudio ring of an incoming call that is not answered by itself). */
async function ringing(page: Page): Promise<boolean | null> {
  return page.evaluate(() => {
    const ringer = (document.querySelector('voxdesk-phone') as unknown as { ringer?: { ringing: boolean } } | null)?.ringer;
    return ringer ? ringer.ringing : null;
  });
}

async function boardQueue(queueId: string): Promise<BoardQueue> {
  const board = await admin.expect<{ queues: BoardQueue[] }>(200, 'GET', '/api/queue-board?zone=America/Sao_Paulo');
  const queue = board.body.queues.find((q) => q.id === queueId);
  if (!queue) throw new Error(`queue ${queueId} is not on the board`);
  return queue;
}

/** What the two inbound tests share: made once, through the REST API. */
type InboundSetup = {
  agentId: string;
  adminId: string;
  contactId: string;
  ticketId: string;
  supportQueue: string;
  callbackQueue: string;
};
let inboundSetup: InboundSetup | undefined;

async function inboundFixture(): Promise<InboundSetup> {
  if (inboundSetup) return inboundSetup;
  const agentId = (await agentApi.expect<{ userId: string }>(200, 'GET', '/api/tenants/me')).body.userId;
  const adminId = (await admin.expect<{ userId: string }>(200, 'GET', '/api/tenants/me')).body.userId;
  // the tenant admin takes calls too: extension 1002 (Kamailio's user of test 6, now a webphone)
  await admin.expect(200, 'PUT', '/api/me/extension', {
    extension: SECOND_EXTENSION,
    password: SECOND_SIP_PASSWORD,
    domain: SIP_DOMAIN,
    websocketUrl: kam!.wsUrl,
    displayName: 'Acme Admin (e2e)',
    active: true,
  });
  const contact = await agentApi.expect<{ id: string }>(201, 'POST', '/api/contacts', {
    name: INBOUND_CONTACT,
    phones: [{ number: '+55 48 99123-4567', label: 'celular' }],
  });
  const ticket = await agentApi.expect<{ id: string }>(201, 'POST', '/api/tickets', {
    subject: INBOUND_TICKET_SUBJECT,
    priority: 'normal',
    contactId: contact.body.id,
    note: 'Opened by the webphone app e2e test (inbound).',
  });
  // ring-all; the phones ring until the test answers (far from its deadlines), callers wait long, no wrap-up
  const routing = { strategy: 'ring-all', ringSeconds: 120, maxWaitSeconds: 600, wrapUpSeconds: 0, overflow: { target: 'hang-up' } };
  const queues: string[] = [];
  for (const [name, members, did] of [
    [SUPPORT_QUEUE, [agentId, adminId], SUPPORT_DID],
    [CALLBACK_QUEUE, [agentId], CALLBACK_DID],
  ] as const) {
    const queue = (await admin.expect<{ id: string }>(201, 'POST', '/api/queues', { name, memberIds: members })).body.id;
    await admin.expect(200, 'PUT', `/api/queues/${queue}/call-routing`, routing);
    await admin.expect(201, 'POST', '/api/inbound-numbers', { connectionId, number: did, queueId: queue });
    queues.push(queue);
  }
  inboundSetup = { agentId, adminId, contactId: contact.body.id, ticketId: ticket.body.id, supportQueue: queues[0]!, callbackQueue: queues[1]! };
  return inboundSetup;
}

/** The second agent's browser (its own Chromium process), started once, on the demo page signed in as acme-admin. */
async function secondAgent(ticket: string): Promise<Agent> {
  if (!agent2) {
    const launched = await launchAgent('agent2', { width: 1280, height: 900 });
    agent2 = launched;
    await prepareAgentBrowser(launched);
  }
  if ((await phoneAttr(agent2.page, 'data-state').catch(() => null)) !== 'registered') {
    await openDemo(agent2.page, ADMIN_USER, ticket);
  }
  return agent2;
}

/** Whether Keycloak's voxdesk-web client lets a browser on `origin` call the token endpoint (CORS). */
async function keycloakAllowsOrigin(origin: string): Promise<boolean> {
  const r = await fetch(`${keycloakUrl}/realms/voxdesk/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'voxdesk-web', username: 'acme-agent', password: 'demo' }),
  });
  return r.ok && r.headers.get('access-control-allow-origin') === origin;
}

/** Whether the application itself serves the demo page and the webphone bundle (the lead's Maven wiring). */
async function appServesPages(base: string): Promise<boolean> {
  try {
    const [page, bundleJs, iife] = await Promise.all(
      ['/demo/index.html', '/webphone/voxdesk-webphone.js', '/webphone/voxdesk-webphone.iife.js'].map((p) => fetch(`${base}${p}`)),
    );
    return page!.ok && (await page!.text()).includes('<voxdesk-phone') && bundleJs!.ok && iife!.ok;
  } catch {
    return false;
  }
}

/**
 * An agent's browser as the tests use it: the page instrumentation, its HTTP errors collected, and (when Keycloak
 * refuses the page's origin) the token request bridged.
 */
async function prepareAgentBrowser(browser: Agent): Promise<void> {
  await browser.context.addInitScript(INSTRUMENT);
  browser.page.on('response', (r) => {
    if (r.status() >= 400) failedResponses.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
}

describe('webphone with the running application (demo page, click-to-call, auto-answer)', () => {
  beforeAll(async () => {
    requireDist();
    await requireKeycloak();
    fs.mkdirSync(logDir, { recursive: true });
    recreateDatabase();
    kamOptions = {
      users: [
        { user: AGENT_EXTENSION, password: AGENT_SIP_PASSWORD },
        { user: PBX_USER, password: PBX_SIP_PASSWORD },
        { user: SECOND_EXTENSION, password: SECOND_SIP_PASSWORD },
      ],
      domain: SIP_DOMAIN,
      tagCalls: false,
    };
    [kam, sim, bundle] = await Promise.all([
      startKamailio(kamOptions),
      startSimulator(path.join(logDir, 'ari-simulator.log')),
      buildJsSipBundle(),
    ]);
    // with a third connector added as a deployment adds one (loader.path), for the provider settings test
    app = await startApp(path.join(logDir, 'app.log'), {
      connectorJars: [fakeConnectorJar],
      args: [`--voxdesk.testing.fakepbx.accounts=acme:${FAKE_PBX_KEY}`],
    });
    timings.backendReadyMs = Date.now() - runStarted;

    platform = api(app.url, 'platform');
    admin = api(app.url, 'acme-admin');
    agentApi = api(app.url, 'acme-agent');

    // tenant, PBX connection, the agent's extension, a contact and a ticket: all through the REST API
    await platform.expect([201, 409], 'POST', '/api/tenants', { id: 'acme', name: 'Acme Telecom' });
    const existing = await admin.expect<Array<{ id: string }>>(200, 'GET', '/api/provider-connections');
    for (const c of existing.body) await admin.expect(204, 'DELETE', `/api/provider-connections/${c.id}`);
    const connection = await admin.expect<{ id: string }>(201, 'POST', '/api/provider-connections', {
      kind: 'asterisk',
      name: 'E2E ARI simulator',
      enabled: true,
      secret: 'voxdesk-e2e',
      settings: {
        baseUrl: sim.url,
        username: 'voxdesk',
        application: 'voxdesk',
        agentEndpoint: 'PJSIP/{extension}',
        outboundEndpoint: 'PJSIP/{number}@trunk',
        recording: 'false',
        // the agent leg rings until the test answers it on the simulator; far from the test's own deadlines
        agentRingSeconds: '120',
      },
    });
    connectionId = connection.body.id;
    await agentApi.expect(200, 'PUT', '/api/me/extension', {
      extension: AGENT_EXTENSION,
      password: AGENT_SIP_PASSWORD,
      domain: SIP_DOMAIN,
      websocketUrl: kam.wsUrl,
      displayName: 'Acme Agent (e2e)',
      active: true,
    });
    const contact = await agentApi.expect<{ id: string }>(201, 'POST', '/api/contacts', {
      name: 'Mariana Souza',
      phones: [
        { number: CUSTOMER_NUMBER, label: 'comercial' },
        { number: '+55 48 99988-7766', label: 'celular' },
      ],
    });
    contactId = contact.body.id;
    const ticket = await agentApi.expect<{ id: string }>(201, 'POST', '/api/tickets', {
      subject: 'Cliente sem sinal',
      priority: 'high',
      contactId,
      note: 'Opened by the webphone app e2e test.',
    });
    ticketId = ticket.body.id;
    // the connector's event WebSocket is up: the simulator lists the application
    await waitUntil(
      () => fetch(`${sim!.url}/ari/applications/voxdesk`, { headers: { authorization: `Basic ${Buffer.from('voxdesk:voxdesk-e2e').toString('base64')}` } }).then((r) => r.status),
      (s) => s === 200,
      { timeout: 30_000, interval: 100, message: 'the application connected its ARI WebSocket to the simulator' },
    );

    // where the demo page comes from: the application itself once the build serves it, else this server
    const forced = process.env.VOXDESK_E2E_PAGES;
    pagesMode = forced === 'app' || forced === 'proxy' ? forced : (await appServesPages(app.url)) ? 'app' : 'proxy';
    const mounts: Record<string, string> = { '/rig/': bundle.dir, '/app-pages/': path.join(e2eDir, 'app', 'pages') };
    if (pagesMode === 'proxy') {
      mounts['/demo/'] = path.join(projectDir, 'demo');
      mounts['/webphone/'] = distDir;
    }
    server = await startPageServer(mounts, pagesMode === 'proxy' ? app.url : undefined);
    pageOrigin = pagesMode === 'app' ? app.url : server.origin;
    if (!(await keycloakAllowsOrigin(pageOrigin))) restoreKeycloak = await allowOriginInKeycloak(pageOrigin);

    [agent, pbx] = await Promise.all([launchAgent('agent', { width: 1280, height: 900 }), launchAgent('pbx', { width: 480, height: 400 })]);
    await prepareAgentBrowser(agent);
    timings.setupMs = Date.now() - runStarted;
  });

  afterAll(async () => {
    const errors: unknown[] = [];
    const attempt = async (f: () => Promise<void> | void) => {
      try { await f(); } catch (e) { errors.push(e); }
    };
    await attempt(() => closeAll([agent, pbx, agent2]));
    await attempt(() => server?.close());
    await attempt(() => app?.stop());
    await attempt(() => sim?.stop());
    await attempt(() => kam?.stop());
    await attempt(() => bundle?.remove());
    await attempt(() => restoreKeycloak?.());
    if (Object.keys(timings).length) {
      timings.totalRunMs = Date.now() - runStarted;
      fs.mkdirSync(resultsDir, { recursive: true });
      fs.writeFileSync(
        timingsFile,
        JSON.stringify(
          {
            generatedAt: new Date().toISOString(),
            what: 'webphone with the running Voxdesk application (e2e/app/app.e2e.ts); ms, one sample per run, in-page clocks',
            pagesServedBy: pagesMode,
            keycloakOriginAddedForTheRun: !!restoreKeycloak,
            passedTests,
            agentPageHttpErrors: failedResponses,
            ...timings,
          },
          null,
          2,
        ) + '\n',
      );
    }
    if (errors.length) throw errors[0];
  });

  it('signs in on the demo page and registers the extension set up through the API', async () => {
    await withDiagnostics(async () => {
      const page = agent!.page;

      // 1. the stand-in PBX registers as "pbx" (raw JsSIP, no Voxdesk code)
      const pbxQuery = new URLSearchParams({ ws: kam!.wsUrl, uri: `sip:${PBX_USER}@${SIP_DOMAIN}`, user: PBX_USER, password: PBX_SIP_PASSWORD });
      await pbx!.page.goto(`${server!.origin}/app-pages/pbx.html?${pbxQuery}`);
      await pbx!.page.evaluate(() => (window as unknown as RigWindow).rig.start());
      await waitUntil(() => rigState(pbx!.page), (s) => s.registration !== 'idle', { message: 'stand-in PBX registered' });
      expect((await rigState(pbx!.page)).registration).toBe('registered');

      // 2. the demo page, signed in at Keycloak (code flow with PKCE: no password typed into the page itself),
      //    shows the ticket from the API and registers the agent's extension from the API
      const submittedAt = await signIn(page, `${pageOrigin}/demo/index.html?${new URLSearchParams({ ticket: ticketId, keycloak: keycloakUrl })}`, 'acme-agent');
      expect(await page.locator('#who').textContent()).toContain('acme-agent');
      await expectPhone(page, 'data-state', 'registered');
      const registered = (await vxEvents(page, 'voxdesk-registered'))[0];
      expect(registered, 'voxdesk-registered fired').toBeDefined();
      timings.pageLoadToRegisteredMs = Math.round(registered!.t);
      timings.loginSubmitToRegisteredMs = Math.round(registered!.epoch - submittedAt);
      // the ticket is the one the API has, not fixed text: its subject, its contact and a call button per phone
      await page.locator('#ticket-contact').waitFor({ state: 'visible', timeout: 15_000 });
      expect(await page.locator('#ticket-title').textContent()).toBe('Cliente sem sinal');
      expect(await page.locator('#contact-name').textContent()).toBe('Mariana Souza');
      expect(await page.locator('#contact-phones voxdesk-call-button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('number'))))
        .toEqual([CUSTOMER_NUMBER, '+55 48 99988-7766']);
      await page.locator('voxdesk-ticket-calls').getByTestId('ticket-calls').waitFor({ state: 'visible' });
      await screenshot(page, 'app-01-demo-logged-in-registered');
      passedTests.push('sign-in');
    });
  });

  it('click to call: the agent leg is answered by itself, the call goes live on the ticket, the note reaches the timeline', async () => {
    await withDiagnostics(async () => {
      const page = agent!.page;
      await expectPhone(page, 'data-state', 'registered');
      const loadId = (await vx(page)).loadId;

      // 3. the PBX side: 1001 rings until the test answers it; the customer answers after 1 s
      expect((await sim!.admin('PUT', `/_sim/scripts/${AGENT_EXTENSION}`, { kind: 'noAnswer' })).status).toBe(204);
      expect((await sim!.admin('PUT', `/_sim/scripts/${CUSTOMER_DIALLED}`, { kind: 'answer', ringingMs: 1000 })).status).toBe(204);

      // 4. click to call on the ticket's first phone number
      const button = page.locator('voxdesk-call-button').first();
      expect(await button.getAttribute('number')).toBe(CUSTOMER_NUMBER);
      await button.getByTestId('call-button').click();
      const requested = await waitUntil(() => vxEvents(page, 'voxdesk-call-requested'), (e) => e.length > 0, {
        timeout: 15_000,
        message: 'voxdesk-call-requested (the POST answered)',
      });
      const record = requested[0]!.detail as CallRecord;
      const callId = record.id;
      expect(record.ticket).toBe(ticketId);
      expect(record.agentExtension).toBe(AGENT_EXTENSION);
      expect(await button.getByTestId('call-button-error').count(), 'no call-button-error').toBe(0);

      // 5. the connector originated the agent leg on the simulator, carrying the call id for the SIP header
      const agentChannelId = `vx-a-${callId}`;
      const agentLeg = await waitUntil(
        async () => (await sim!.channels()).find((c) => c.id === agentChannelId),
        (c) => !!c && c.state === 'Ringing',
        { timeout: 15_000, interval: 50, message: `simulator channel ${agentChannelId} ringing` },
      );
      expect(agentLeg!.endpoint).toBe(`PJSIP/${AGENT_EXTENSION}`);
      expect(agentLeg!.number).toBe(AGENT_EXTENSION);
      expect(agentLeg!.variables?.['PJSIP_HEADER(add,X-Voxdesk-Call-Id)']).toBe(callId);

      // 6. what Asterisk's PJSIP would now do over SIP, the stand-in PBX does: INVITE 1001 with the header
      await pbx!.page.evaluate(
        ([target, header, from]) =>
          (window as unknown as RigWindow).rig.call(target!, { headers: [header!], fromUserName: from, fromDisplayName: from }),
        [`sip:${AGENT_EXTENSION}@${SIP_DOMAIN}`, `X-Voxdesk-Call-Id: ${agentLeg!.variables!['PJSIP_HEADER(add,X-Voxdesk-Call-Id)']}`, record.number ?? CUSTOMER_DIALLED] as const,
      );

      // 7. the phone answers by itself: no click on incoming-answer
      await expectPhone(page, 'data-call-state', 'established', 20_000);
      await waitUntil(() => rigState(pbx!.page), (s) => s.callState === 'confirmed', { message: 'stand-in PBX call confirmed' });
      const incoming = (await vxEvents(page, 'voxdesk-incoming'))[0]!;
      expect(incoming.detail).toMatchObject({ callId, autoAnswer: true });
      const clicks = (await vx(page)).clicks;
      expect(clicks.some((c) => c.testids.includes('incoming-answer')), 'nobody clicked incoming-answer').toBe(false);
      const click = clicks.find((c) => c.testids.includes('call-button'))!;
      const established = (await vxEvents(page, 'voxdesk-call-state')).find((e) => (e.detail as { callState: string }).callState === 'established')!;
      timings.clickToIncomingMs = Math.round(incoming.t - click.t);
      timings.incomingToEstablishedMs = Math.round(established.t - incoming.t);
      // real audio between the stand-in PBX and the agent's browser, on this machine only
      const agentAudio = await expectAudioFlowing(page, 'agent hears the stand-in PBX');
      const pbxAudio = await expectAudioFlowing(pbx!.page, 'stand-in PBX hears the agent', { source: 'rig' });
      expectPairOnThisMachine(agentAudio.after.pair);
      timings.audio = { agent: describeFlow(agentAudio), pbx: describeFlow(pbxAudio) };

      // 8. the agent's phone is off the hook: the PBX sees the agent leg answer; the customer answers after 1 s
      const answeredOnSim = Date.now();
      const answered = await sim!.admin('POST', `/_sim/channels/${agentChannelId}/answer`);
      expect(answered.status, JSON.stringify(answered.body)).toBe(204);
      const live = await waitUntil(() => getCall(callId), (c) => c.status === 'ANSWERED', {
        timeout: 20_000,
        interval: 100,
        message: `GET /api/calls/${callId} status ANSWERED`,
      });
      timings.simAnswerToCallAnsweredMs = Date.now() - answeredOnSim;
      expect(live.agentAnsweredAt).not.toBeNull();
      expect(live.answeredAt).not.toBeNull();
      expect((await simChannelsOf(callId)).map((c) => c.id).sort()).toEqual([agentChannelId, `vx-c-${callId}`]);

      // 9. the ticket's calls show it live over STOMP, without reloading the page
      const row = page.locator('voxdesk-ticket-calls').locator(`[data-testid="ticket-call"][data-call-id="${callId}"]`);
      await waitUntil(() => row.getAttribute('data-status', { timeout: 1000 }), (s) => s === 'ANSWERED', {
        timeout: 15_000,
        message: `ticket-call ${callId} data-status="ANSWERED"`,
      });
      expect((await vx(page)).loadId, 'the page was not reloaded').toBe(loadId);
      expect(await phoneAttr(page, 'data-call-state')).toBe('established');
      await screenshot(page, 'app-02-auto-answered-call-and-ticket-calls');

      // 10. the agent hangs up on the phone; the PBX ends its legs (as Asterisk would on the BYE)
      await page.locator('voxdesk-phone').getByTestId('call-hangup').click();
      await waitUntil(() => rigState(pbx!.page), (s) => s.callState === 'ended', { message: 'stand-in PBX saw the BYE' });
      for (const channel of await simChannelsOf(callId)) {
        const r = await sim!.admin('POST', `/_sim/channels/${channel.id}/hangup`);
        // the connector may already have hung up the other leg itself
        expect([204, 404], JSON.stringify(r.body)).toContain(r.status);
      }
      await waitUntil(() => simChannelsOf(callId), (c) => c.length === 0, { message: 'no channel of the call left on the simulator' });
      const completed = await waitUntil(() => getCall(callId), (c) => c.status === 'COMPLETED', {
        timeout: 15_000,
        interval: 100,
        message: `GET /api/calls/${callId} status COMPLETED`,
      });
      expect(completed.outcome).toBe('ANSWERED');
      await waitUntil(() => row.getAttribute('data-status', { timeout: 1000 }), (s) => s === 'COMPLETED', {
        timeout: 15_000,
        message: `ticket-call ${callId} data-status="COMPLETED"`,
      });

      // 11. the after-call form: note and disposition, saved through the API
      const phone = page.locator('voxdesk-phone');
      await phone.getByTestId('after-call').waitFor({ state: 'visible', timeout: 10_000 });
      await phone.getByTestId('note-input').fill(NOTE);
      await phone.getByTestId('disposition-select').selectOption(DISPOSITION);
      await screenshot(page, 'app-03-after-call-form');
      await phone.getByTestId('note-save').click();
      await phone.getByTestId('note-saved').waitFor({ state: 'visible', timeout: 10_000 });
      const noted = await getCall(callId);
      expect(noted.note).toBe(NOTE);
      expect(noted.disposition).toBe(DISPOSITION);
      await waitUntil(() => row.textContent({ timeout: 1000 }), (t) => !!t && t.includes(NOTE), {
        timeout: 15_000,
        message: `ticket-call ${callId} shows the note`,
      });
      await screenshot(page, 'app-04-ticket-calls-after-note');

      // 12. the ticket's timeline tells the call's story
      const timeline = (await agentApi.expect<TimelineEntry[]>(200, 'GET', `/api/tickets/${ticketId}/timeline`)).body;
      const ofCall = timeline.filter((e) => e.data?.callId === callId).map((e) => e.type);
      expect(ofCall).toEqual(expect.arrayContaining(['call.started', 'call.answered', 'call.ended', 'call.note']));
      const noteEntry = timeline.find((e) => e.type === 'call.note' && e.data?.callId === callId)!;
      expect(noteEntry.data).toMatchObject({ note: NOTE, disposition: DISPOSITION, by: 'acme-agent' });
      timings.timeline = ofCall;

      // 13. the same page at 360 px: nothing scrolls sideways
      await page.setViewportSize({ width: 360, height: 800 });
      await waitUntil(() => page.evaluate(() => window.innerWidth), (w) => w === 360, { message: 'viewport 360 px' });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, 'horizontal overflow at 360 px').toBeLessThanOrEqual(0);
      await screenshot(page, 'app-05-demo-360px');
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(failedResponses.filter((r) => r.startsWith('5')), 'no request of the page got a server error').toEqual([]);
      passedTests.push('click-to-call');
    });
  });

  it('an INVITE naming a call id that is not a click-to-call of this user rings and is not answered by itself', async () => {
    await withDiagnostics(async () => {
      const page = agent!.page;
      await expectPhone(page, 'data-state', 'registered');
      // whatever an earlier failure left: no call on the phone
      await pbx!.page.evaluate(() => (window as unknown as RigWindow).rig.hangup());
      await waitUntil(() => phoneAttr(page, 'data-call-state'), (s) => s === 'none' || s === 'ended', { message: 'phone without a call' });
      const foreignId = crypto.randomUUID();
      const before = (await vxEvents(page, 'voxdesk-incoming')).length;
      await pbx!.page.evaluate(
        ([target, header]) => (window as unknown as RigWindow).rig.call(target!, { headers: [header!], fromUserName: '5548999887766', fromDisplayName: 'Desconhecido' }),
        [`sip:${AGENT_EXTENSION}@${SIP_DOMAIN}`, `X-Voxdesk-Call-Id: ${foreignId}`] as const,
      );
      const incoming = await waitUntil(() => vxEvents(page, 'voxdesk-incoming'), (e) => e.length > before, {
        timeout: 15_000,
        message: 'voxdesk-incoming for the foreign call',
      });
      expect(incoming[before]!.detail).toMatchObject({ callId: foreignId, autoAnswer: false });
      const phone = page.locator('voxdesk-phone');
      await phone.getByTestId('incoming-popup').waitFor({ state: 'visible', timeout: 10_000 });
      expect(await phone.getByTestId('incoming-number').textContent()).toContain('5548999887766');
      // It must stay unanswered: watched for five times as long as the auto-answer above took (at least 2 s);
      // a bounded observation window, the one timed wait of this test.
      await waitUntil(() => rigState(pbx!.page), (s) => s.callState === 'progress', { message: 'stand-in PBX got 180 Ringing' });
      const watchMs = Math.max(2000, 5 * Number(timings.incomingToEstablishedMs ?? 0));
      const until = Date.now() + watchMs;
      while (Date.now() < until) {
        expect(await phoneAttr(page, 'data-call-state')).toBe('incoming');
        expect((await rigState(pbx!.page)).callState).toBe('progress');
        await page.waitForTimeout(100); // poll interval of the observation window
      }
      await screenshot(page, 'app-06-foreign-call-rings-not-answered');
      await phone.getByTestId('incoming-reject').click();
      const ended = await waitUntil(() => rigState(pbx!.page), (s) => s.callState === 'failed' || s.callState === 'ended', {
        message: 'stand-in PBX saw the rejection',
      });
      expect(ended.callState).toBe('failed');
      await waitUntil(() => phoneAttr(page, 'data-call-state'), (s) => s !== 'incoming', { message: 'phone left incoming' });
      expect(await phoneAttr(page, 'data-call-state')).not.toBe('established');
      timings.foreignCallWatchedMs = watchMs;
      timings.foreignCallRejectCause = ended.endCause;
      // the popup's ticket lookup for the foreign id may get a 404; nothing may get a server error
      expect(failedResponses.filter((r) => r.startsWith('5')), 'no request of the page got a server error').toEqual([]);
      passedTests.push('foreign-call-not-auto-answered');
    });
  });

  it('extension settings: a ftp:// address is refused before saving, and Test reports wrong password, unreachable and registered', async () => {
    await withDiagnostics(async () => {
      const page = agent!.page;
      await expectPhone(page, 'data-state', 'registered');
      const settings = page.locator('voxdesk-extension-settings');
      const field = (name: string) => settings.getByTestId(`extension-${name}`);
      await settings.getByTestId('extension-form').waitFor({ state: 'visible', timeout: 10_000 });
      await waitUntil(() => field('extension').inputValue({ timeout: 1000 }), (v) => v === AGENT_EXTENSION, {
        message: 'the form shows the stored extension',
      });
      expect(await field('websocketUrl').inputValue()).toBe(kam!.wsUrl);
      /** the words of `key` in either language (without ?lang= the element follows the browser's language) */
      const words = (key: MessageKey, params: Record<string, string> = {}) =>
        (['en', 'pt-BR'] as Lang[]).map((l) => translate(l, key, params));

      // the stored password is never in the form: not in an input, not in the element's text
      const passwordShown = () =>
        settings.evaluate((e, secret) => {
          const root = e.shadowRoot!;
          const inputs = [...root.querySelectorAll('input')].map((i) => i.value);
          return inputs.some((v) => v.includes(secret)) || root.innerHTML.includes(secret) || (root.textContent ?? '').includes(secret);
        }, AGENT_SIP_PASSWORD);
      expect(await field('password').inputValue(), 'the password field starts empty').toBe('');
      expect(await passwordShown(), 'stored password shown in the form').toBe(false);

      // 1. an ftp:// WebSocket address: the field says why, nothing is sent, nothing changes
      const before = (await agentApi.expect<Record<string, unknown>>(200, 'GET', '/api/me/extension')).body;
      const puts: string[] = [];
      const onRequest = (r: { method(): string; url(): string }) => {
        if (r.method() === 'PUT' && new URL(r.url()).pathname === '/api/me/extension') puts.push(r.url());
      };
      page.on('request', onRequest);
      try {
        await field('websocketUrl').fill('ftp://127.0.0.1:21/ws');
        await settings.getByTestId('extension-save').click();
        const fieldError = settings.getByTestId('field-error-websocketUrl');
        await fieldError.waitFor({ state: 'visible', timeout: 10_000 });
        expect(words('ext.invalidWebsocket')).toContain((await fieldError.textContent())?.trim());
        expect(await field('websocketUrl').getAttribute('aria-invalid')).toBe('true');
        await settings.getByTestId('extension-error').waitFor({ state: 'visible', timeout: 5_000 });
        expect(await settings.getByTestId('extension-saved').count(), 'no extension-saved').toBe(0);
        await screenshot(page, 'app-08-extension-settings-ftp-refused');
        // the save returned before any request (the check runs first); the server still has the old values
        expect(puts, 'no PUT /api/me/extension was sent').toEqual([]);
        const after = (await agentApi.expect<Record<string, unknown>>(200, 'GET', '/api/me/extension')).body;
        expect(after).toEqual(before);
        expect(after.websocketUrl).toBe(kam!.wsUrl);
      } finally {
        page.off('request', onRequest);
      }

      // 2. Test, each time a real registration on Kamailio through a separate user agent
      const result = settings.getByTestId('extension-test-result');
      const runTest = async (expected: string): Promise<string> => {
        const previous = (await result.count()) ? await result.elementHandle() : null;
        await settings.getByTestId('extension-test').click();
        // a fresh result: the previous one leaves the page when the test starts
        if (previous) {
          await waitUntil(() => previous.evaluate((e) => e.isConnected), (connected) => !connected, { message: 'the previous test result was cleared' });
        }
        const outcome = await waitUntil(() => (result.count().then((n) => (n ? result.getAttribute('data-outcome', { timeout: 1000 }) : null))), (o) => !!o, {
          timeout: 20_000,
          interval: 50,
          message: `extension-test-result (expected ${expected})`,
        });
        expect(outcome, `Test outcome, saying: ${await result.textContent()}`).toBe(expected);
        return ((await result.textContent()) ?? '').trim();
      };

      // wrong password typed, the right server
      await field('websocketUrl').fill(kam!.wsUrl);
      await field('password').fill(`wrong-${crypto.randomBytes(4).toString('hex')}`);
      const wrong = await runTest('wrong-password');
      expect(words('ext.test.wrong-password')).toContain(wrong);
      await screenshot(page, 'app-09-extension-test-wrong-password');

      // the right password, a WebSocket address on a closed port
      const closedUrl = `ws://127.0.0.1:${await freePort()}`;
      await field('password').fill(AGENT_SIP_PASSWORD);
      await field('websocketUrl').fill(closedUrl);
      const unreachable = await runTest('unreachable');
      expect(words('ext.test.unreachable', { server: closedUrl })).toContain(unreachable);

      // the right password and server
      await field('websocketUrl').fill(kam!.wsUrl);
      const registered = await runTest('registered');
      expect(words('ext.test.registered', { server: kam!.wsUrl })).toContain(registered);

      // no password typed: the stored one is used for the test, and still not shown
      await field('password').fill('');
      const stored = await runTest('registered');
      expect(words('ext.test.registered', { server: kam!.wsUrl })).toContain(stored);
      expect(await field('password').inputValue()).toBe('');
      expect(await passwordShown(), 'stored password shown in the form').toBe(false);
      await screenshot(page, 'app-10-extension-test-registered');

      // testing saved nothing, and the phone stayed registered throughout
      expect((await agentApi.expect<Record<string, unknown>>(200, 'GET', '/api/me/extension')).body).toEqual(before);
      expect(await phoneAttr(page, 'data-state')).toBe('registered');
      passedTests.push('extension-settings');
    });
  });

  it('after Kamailio goes away and comes back on the same port, the phone registers again by itself', async () => {
    await withDiagnostics(async () => {
      const page = agent!.page;
      await expectPhone(page, 'data-state', 'registered');
      const { loadId, clicks } = await vx(page);
      const registeredBefore = (await vxEvents(page, 'voxdesk-registered')).length;
      const pbxRegistrations = (await rigState(pbx!.page)).registrations;
      const phone = page.locator('voxdesk-phone');

      // the network to the SIP server is lost: Kamailio stops
      const lostAt = Date.now();
      const stopped = kam!;
      await stopped.stop();
      const lostState = await waitUntil(() => phoneAttr(page, 'data-state'), (s) => s === 'disconnected' || s === 'failed', {
        timeout: 20_000,
        message: '<voxdesk-phone> left "registered" after Kamailio stopped',
      });
      timings.kamailioStopToPhoneLostMs = Date.now() - lostAt;
      const status = ((await phone.getByTestId('phone-status').textContent()) ?? '').trim();
      if (lostState === 'disconnected') {
        expect([translate('en', 'status.disconnected'), translate('pt-BR', 'status.disconnected')]).toContain(status);
      } else {
        expect(await phone.getByTestId('diagnostics').getAttribute('data-problem')).toBe('server-unreachable');
      }
      await screenshot(page, 'app-11-connection-lost');

      // it comes back on the same port with the same users (an empty location table: everybody registers again)
      const backAt = Date.now();
      kam = await startKamailioAgain(stopped, kamOptions);
      expect(kam.port).toBe(stopped.port);
      await expectPhone(page, 'data-state', 'registered', 60_000);
      timings.kamailioBackToPhoneRegisteredMs = Date.now() - backAt;
      timings.phoneLostStateWhileKamailioDown = lostState;
      await waitUntil(() => vxEvents(page, 'voxdesk-registered'), (e) => e.length > registeredBefore, { message: 'voxdesk-registered fired again' });
      // by itself: the same page, no click
      const now = await vx(page);
      expect(now.loadId, 'the page was not reloaded').toBe(loadId);
      expect(now.clicks.length, 'nobody clicked').toBe(clicks.length);
      expect(await phone.getByTestId('diagnostics').count(), 'no problem shown once registered').toBe(0);
      // the registration is real: Kamailio has the binding (the stand-in PBX, also back, can reach the phone)
      await waitUntil(() => rigState(pbx!.page), (s) => s.registrations > pbxRegistrations, { timeout: 60_000, message: 'stand-in PBX registered again' });
      await screenshot(page, 'app-12-reconnected');
      passedTests.push('reconnect');
    });
  });

  it('in pt-BR, the dial pad works by keyboard alone: a call to a second phone rings there', async () => {
    await withDiagnostics(async () => {
      const page = agent!.page;
      const second = await pbx!.context.newPage();
      second.on('console', (m) => pbx!.console.push(`[second ${m.type()}] ${m.text()}`));
      try {
        // the second phone: raw JsSIP registered as 1002, letting incoming calls ring
        const query = new URLSearchParams({
          ws: kam!.wsUrl,
          uri: `sip:${SECOND_EXTENSION}@${SIP_DOMAIN}`,
          user: SECOND_EXTENSION,
          password: SECOND_SIP_PASSWORD,
          incoming: 'ring',
        });
        await second.goto(`${server!.origin}/app-pages/pbx.html?${query}`);
        await second.evaluate(() => (window as unknown as RigWindow).rig.start());
        await waitUntil(() => rigState(second), (s) => s.registration !== 'idle', { message: `second phone ${SECOND_EXTENSION} registered` });
        expect((await rigState(second)).registration).toBe('registered');

        // the demo page in Portuguese, signed in again
        await signIn(page, `${pageOrigin}/demo/index.html?${new URLSearchParams({ ticket: ticketId, keycloak: keycloakUrl, lang: 'pt-BR' })}`, 'acme-agent', { keyboard: true });
        await expectPhone(page, 'data-state', 'registered', 30_000);
        const phone = page.locator('voxdesk-phone');
        expect((await phone.getByTestId('phone-status').textContent())?.trim()).toBe(translate('pt-BR', 'status.registered'));
        expect(translate('pt-BR', 'status.registered')).not.toBe(translate('en', 'status.registered'));
        /** clicks made with a pointer (keyboard activation also fires click events, with detail 0) */
        const pointerClicks = async () => (await vx(page)).clicks.filter((c) => c.detail > 0);
        expect(await pointerClicks(), 'no pointer click since the page loaded').toEqual([]);

        // keyboard only: focus the dial input, type the extension, Enter
        const dial = phone.getByTestId('dial-input');
        await dial.focus();
        const focused = await phone.evaluate((e) => (e.shadowRoot?.activeElement as HTMLElement | null)?.getAttribute('data-testid') ?? null);
        expect(focused, 'focus is on the dial input').toBe('dial-input');
        await page.keyboard.type(SECOND_EXTENSION);
        expect(await dial.inputValue()).toBe(SECOND_EXTENSION);
        await page.keyboard.press('Enter');

        // it rings at the second phone, and the phone says so
        const ringing = await waitUntil(() => rigState(second), (s) => s.incoming?.state === 'ringing', { timeout: 20_000, message: `${SECOND_EXTENSION} rings` });
        expect(ringing.incoming!.from).toBe(AGENT_EXTENSION);
        await expectPhone(page, 'data-call-state', 'ringing', 15_000);
        expect(await pointerClicks(), 'no pointer click was used').toEqual([]);
        const inCall = phone.getByTestId('in-call');
        await inCall.waitFor({ state: 'visible', timeout: 5_000 });
        await waitUntil(() => inCall.textContent({ timeout: 1000 }), (t) => !!t && t.includes(translate('pt-BR', 'call.ringing')), {
          timeout: 5_000,
          message: `in-call says "${translate('pt-BR', 'call.ringing')}"`,
        });
        await screenshot(page, 'app-07-pt-BR');

        // hang up by keyboard too: focus the hang-up button and press Enter
        await phone.getByTestId('call-hangup').focus();
        await page.keyboard.press('Enter');
        await waitUntil(() => rigState(second), (s) => s.incoming?.state === 'failed' || s.incoming?.state === 'ended', {
          message: `${SECOND_EXTENSION} saw the call cancelled`,
        });
        await waitUntil(() => phoneAttr(page, 'data-call-state'), (s) => s === 'none' || s === 'ended', { message: 'phone without a call' });
        expect(await pointerClicks(), 'no pointer click was used').toEqual([]);
        passedTests.push('pt-BR-keyboard');
      } finally {
        await second.evaluate(() => (window as unknown as RigWindow).rig.stop()).catch(() => undefined);
        await second.close();
      }
    });
  });
  it('a host CRM page on another origin loads the components, signs in at Keycloak and places a click-to-call', async () => {
    await withDiagnostics(async () => {
      // Nothing is bridged here: the page's own browser requests must pass Keycloak's and the application's CORS.
      expect(
        await keycloakAllowsOrigin(HOST_ORIGIN),
        `Keycloak's voxdesk-web client does not allow ${HOST_ORIGIN}; start Keycloak with VOXDESK_SECURITY_ALLOWEDORIGINS=${HOST_ORIGIN} scripts/keycloak.sh start (./voxdesk test does)`,
      ).toBe(true);
      const listen = new URL(HOST_ORIGIN);
      const pages = { '/host/': path.join(e2eDir, 'app', 'pages') };
      const [hostServer, elsewhere] = await Promise.all([
        startPageServer(pages, undefined, { host: listen.hostname, port: Number(listen.port) }),
        startPageServer(pages), // a free port: an origin nobody allowed
      ]);
      const browser = await launchAgent('host-crm', { width: 800, height: 600, microphone: false });
      try {
        const query = new URLSearchParams({ app: app!.url, keycloak: keycloakUrl, number: CUSTOMER_NUMBER });
        const failed: string[] = [];
        browser.page.on('response', (r) => {
          if (r.status() >= 400) failedResponses.push(`${r.status()} ${r.request().method()} ${r.url()}`);
          if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
        });

        // the attack first: the same page on an origin the application was not told about gets nothing
        await browser.page.goto(`${elsewhere.origin}/host/host-crm.html?${query}`);
        await waitUntil(() => browser.page.locator('#status').textContent(), (t) => !!t && t !== 'loading', {
          timeout: 15_000,
          message: 'the page on an unlisted origin finished loading',
        });
        expect(await browser.page.locator('#status').textContent()).toMatch(/^failed:/);

        // the host CRM's origin: the module loads, Keycloak answers, the click places the call
        expect((await sim!.admin('PUT', `/_sim/scripts/${AGENT_EXTENSION}`, { kind: 'noAnswer' })).status).toBe(204);
        await browser.page.goto(`${hostServer.origin}/host/host-crm.html?${query}`);
        await waitUntil(() => browser.page.locator('#status').textContent(), (t) => t === 'signed out', {
          timeout: 15_000,
          message: `the host page on ${HOST_ORIGIN} loaded the webphone from ${app!.url}`,
        });
        // the host's own sign-in: code flow with PKCE at Keycloak, back on the host page
        await browser.page.locator('#sign-in').click();
        await typeIntoKeycloak(browser.page, 'acme-agent');
        await waitUntil(() => browser.page.locator('#status').textContent(), (t) => t === 'ready', {
          timeout: 15_000,
          message: `the host page on ${HOST_ORIGIN} loaded the webphone from ${app!.url} and signed in`,
        });
        await browser.page.getByTestId('call-button').click();
        const requested = await waitUntil(
          () => browser.page.evaluate(() => (window as unknown as { hostCrm: { events: { type: string; detail: CallRecord }[] } }).hostCrm.events),
          (events) => events.length > 0,
          { timeout: 15_000, message: 'the click-to-call answered the host page' },
        );
        expect(requested[0]!.type, JSON.stringify(requested[0])).toBe('voxdesk-call-requested');
        const callId = requested[0]!.detail.id;
        expect(requested[0]!.detail.agentExtension).toBe(AGENT_EXTENSION);
        const agentLeg = await waitUntil(
          async () => (await sim!.channels()).find((c) => c.id === `vx-a-${callId}`),
          (c) => !!c && c.state === 'Ringing',
          { timeout: 15_000, interval: 50, message: `the PBX rings the agent for the host page's call ${callId}` },
        );
        expect(agentLeg!.endpoint).toBe(`PJSIP/${AGENT_EXTENSION}`);
        const onHost = failed.filter((f) => f.includes(app!.url) || f.includes(keycloakUrl));
        expect(onHost, 'no request of the host page was refused').toEqual([]);
        await screenshot(browser.page, 'host-crm-cross-origin-call');

        // the agent never picks up: end the leg so the call settles before the run ends
        expect((await sim!.admin('POST', `/_sim/channels/vx-a-${callId}/hangup`)).status).toBe(204);
        await waitUntil(() => getCall(callId), (c) => c.status !== 'RINGING', { timeout: 20_000, message: 'the call settled' });
      } finally {
        await browser.close();
        await Promise.all([hostServer.close(), elsewhere.close()]);
      }
    });
  });
  it('a connector added to the deployment appears in <voxdesk-provider-settings> with the settings it declares', async () => {
    await withDiagnostics(async () => {
      // a second tab of the agent's browser (same Keycloak bridging), signed in as the tenant's admin
      const page = await agent!.context.newPage();
      try {
        await signIn(page, `${pageOrigin}/demo/index.html?${new URLSearchParams({ ticket: ticketId, keycloak: keycloakUrl })}`, 'acme-admin');
        const settings = page.locator('voxdesk-provider-settings');
        await settings.getByTestId('provider-item').first().waitFor({ state: 'visible', timeout: 15_000 });
        const kind = settings.getByTestId('provider-kind');
        await settings.getByTestId('provider-new').click();
        expect(await kind.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual([
          'asterisk',
          'api4com',
          'fakepbx',
        ]);

        // the Fake PBX's form is the one its connector declares: nothing in the webphone names it
        await kind.selectOption('fakepbx');
        for (const name of ['account', 'region', 'answerAfterSeconds', 'sipDomain', 'statusUrl', 'recording']) {
          await expect.poll(() => settings.getByTestId(`provider-${name}`).count(), { timeout: 5_000 }).toBe(1);
        }
        expect(await settings.getByTestId('provider-baseUrl').count()).toBe(0);
        expect(await settings.getByTestId('provider-region').inputValue()).toBe('sa-east');
        expect(await settings.getByTestId('provider-secret-state').textContent()).toContain('API key');
        await settings.getByTestId('provider-name').fill('Fake PBX (e2e)');
        // acme's calls go through the simulator's connection: this one stays disabled
        await settings.getByTestId('provider-enabled').uncheck();
        await settings.getByTestId('provider-secret').fill('Bearer 123');
        await settings.getByTestId('provider-account').fill('acme');
        await settings.getByTestId('provider-answerAfterSeconds').fill('61');
        await settings.getByTestId('provider-save').click();
        await settings.getByTestId('field-error-answerAfterSeconds').waitFor({ state: 'visible' });
        expect(await settings.getByTestId('field-error-secret').textContent()).toContain('fk_ followed by 8 to 40');
        await screenshot(page, 'app-20-provider-settings-declared-by-a-third-connector');

        await settings.getByTestId('provider-secret').fill(FAKE_PBX_KEY);
        await settings.getByTestId('provider-answerAfterSeconds').fill('5');
        await settings.getByTestId('provider-test').click();
        const result = settings.getByTestId('provider-test-result');
        await result.waitFor({ state: 'visible', timeout: 15_000 });
        expect(await result.getAttribute('data-ok')).toBe('true');
        expect(await result.textContent()).toContain('Fake PBX account acme is ready');
        expect(await settings.getByTestId('provider-test-step').count()).toBe(2);
        await screenshot(page, 'app-21-third-connector-tested');

        const stored = await admin.expect<Array<{ id: string; kind: string; enabled: boolean; settings: Record<string, string> }>>(
          200,
          'GET',
          '/api/provider-connections',
        );
        const fake = stored.body.find((connection) => connection.kind === 'fakepbx');
        expect(fake?.enabled).toBe(false);
        expect(fake?.settings).toEqual({ account: 'acme', region: 'sa-east', answerAfterSeconds: '5', recording: 'false' });
        await admin.expect(204, 'DELETE', `/api/provider-connections/${fake!.id}`);
        passedTests.push('provider-settings-third-connector');
      } finally {
        await page.close();
      }
    });
  });

  it('an expired session shows a sign-in prompt instead of errors, sends nothing, and signing in again carries on', async () => {
    await withDiagnostics(async () => {
      const page = await agent!.context.newPage();
      try {
        await signIn(page, `${pageOrigin}/demo/index.html?${new URLSearchParams({ ticket: ticketId, keycloak: keycloakUrl })}`, 'acme-agent');
        await page.locator('#ticket-contact').waitFor({ state: 'visible', timeout: 15_000 });
        expect(await page.locator('#expired').isVisible()).toBe(false);
        // The session runs out: oidc-client-ts's stored user expired a minute ago (as after a laptop slept through it).
        await page.evaluate(() => {
          for (const key of Object.keys(sessionStorage).filter((k) => k.startsWith('oidc.user:'))) {
            const user = JSON.parse(sessionStorage.getItem(key)!);
            user.expires_at = Math.floor(Date.now() / 1000) - 60;
            sessionStorage.setItem(key, JSON.stringify(user));
          }
        });
        const callsSent: string[] = [];
        page.on('request', (r) => {
          if (r.method() === 'POST' && r.url().includes('/calls')) callsSent.push(r.url());
        });
        const button = page.locator('#contact-phones voxdesk-call-button').first();
        await button.getByTestId('call-button').click();
        // the page's prompt, and the element's own words instead of an error
        await page.locator('#expired').waitFor({ state: 'visible', timeout: 10_000 });
        expect((await page.locator('#expired').textContent())?.trim()).toContain('Sua sessão expirou.');
        await button.getByTestId('call-button-error').waitFor({ state: 'visible' });
        expect(await button.getByTestId('call-button-error').textContent()).toContain(translate('pt-BR', 'common.sessionExpired'));
        expect(callsSent, 'nothing was sent without a token').toEqual([]);
        await screenshot(page, 'app-22-session-expired-prompt');
        // signing in again: Keycloak still knows the browser, so it sends it straight back, signed in
        await page.locator('#sign-in-again').click();
        await page.locator('#session').waitFor({ state: 'visible', timeout: 15_000 });
        await page.locator('#ticket-contact').waitFor({ state: 'visible', timeout: 15_000 });
        expect(await page.locator('#expired').isVisible()).toBe(false);
        expect(await page.locator('#who').textContent()).toContain('acme-agent');
        passedTests.push('session-expired-prompt');
      } finally {
        await page.close();
      }
    });
  });

  it('an inbound caller rings both agents of the queue with the contact and the ticket; one answers, the other stops ringing, the call is live on the ticket', async () => {
    await withDiagnostics(async () => {
      const setup = await inboundFixture();
      const page = agent!.page;
      // the two agents on the demo page of the contact's ticket: acme-agent here, acme-admin in a third Chromium
      const [, second] = await Promise.all([openDemo(page, 'acme-agent', setup.ticketId), secondAgent(setup.ticketId)]);
      const pageB = second.page;
      await expectFeedLive(page, agentApi);
      await expectFeedLive(pageB, admin);
      const loadId = (await vx(page)).loadId;
      for (const user of [agentApi, admin]) {
        await waitUntil(() => user.expect<{ state: string }>(200, 'GET', '/api/me/presence').then((r) => r.body.state), (st) => st === 'available', {
          timeout: 20_000,
          message: `${user.username} is available (no call or wrap-up left from the tests before)`,
        });
      }
      // both phones ring until the test answers (what happens next is the browsers' doing)
      for (const extension of [AGENT_EXTENSION, SECOND_EXTENSION]) {
        expect((await sim!.admin('PUT', `/_sim/scripts/${extension}`, { kind: 'noAnswer' })).status).toBe(204);
      }
      // the stand-in PBX's second line: another tab of its browser, registered like the first
      const pbxB = await pbx!.context.newPage();
      pbxB.on('console', (m) => pbx!.console.push(`[pbx line 2 ${m.type()}] ${m.text()}`));
      try {
        await pbxB.goto(`${server!.origin}/app-pages/pbx.html?${new URLSearchParams({ ws: kam!.wsUrl, uri: `sip:${PBX_USER}@${SIP_DOMAIN}`, user: PBX_USER, password: PBX_SIP_PASSWORD })}`);
        await pbxB.evaluate(() => (window as unknown as RigWindow).rig.start());
        await waitUntil(() => rigState(pbxB), (st) => st.registration === 'registered', { message: "stand-in PBX's second line registered" });
        const incomingBefore = { a: (await vxEvents(page, 'voxdesk-incoming')).length, b: (await vxEvents(pageB, 'voxdesk-incoming')).length };

        // 1. the customer calls the support number: answered by the PBX, held with music, offered to the queue
        const calledAt = Date.now();
        const called = await sim!.admin('POST', `/_sim/calls?${new URLSearchParams({ to: `55${SUPPORT_DID}`, from: INBOUND_CALLER, name: INBOUND_NETWORK_NAME, app: 'voxdesk' })}`);
        expect(called.status, JSON.stringify(called.body)).toBe(200);
        const callerChannel = (called.body as { id: string }).id;

        // 2. ring-all: Voxdesk originates one offer leg per agent, each carrying the call id for the SIP header
        // (also watched: when the caller shows up as waiting on the queue board, for test 10's observation window)
        let waitingSeenAt: number | undefined;
        const legs = await waitUntil(
          async () => {
            if (waitingSeenAt === undefined && (await boardQueue(setup.supportQueue)).waiting.length > 0) waitingSeenAt = Date.now();
            return (await sim!.channels()).filter((c) => c.id.startsWith('vx-o') && c.state === 'Ringing');
          },
          (l) => l.some((c) => c.number === AGENT_EXTENSION) && l.some((c) => c.number === SECOND_EXTENSION),
          { timeout: 15_000, interval: 25, message: 'the simulator rings 1001 and 1002 for the caller' },
        );
        const ringingAt = Date.now();
        timings.inboundCallToBothOffersRingingMs = ringingAt - calledAt;
        timings.inboundWaitingToBothOffersRingingMs = ringingAt - (waitingSeenAt ?? ringingAt);
        const legA = legs.find((c) => c.number === AGENT_EXTENSION)!;
        const legB = legs.find((c) => c.number === SECOND_EXTENSION)!;
        const callId = legA.variables?.['PJSIP_HEADER(add,X-Voxdesk-Call-Id)'] ?? '';
        expect(callId).toMatch(/^[0-9a-f-]{36}$/);
        expect(legB.variables?.['PJSIP_HEADER(add,X-Voxdesk-Call-Id)']).toBe(callId);
        expect(legA.id).toMatch(new RegExp(`^vx-o\\d+-${callId}$`));
        expect(legB.id).toMatch(new RegExp(`^vx-o\\d+-${callId}$`));
        expect([legA.endpoint, legB.endpoint]).toEqual([`PJSIP/${AGENT_EXTENSION}`, `PJSIP/${SECOND_EXTENSION}`]);
        const waitingCall = (await admin.expect<CallRecord>(200, 'GET', `/api/calls/${callId}`)).body;
        expect(waitingCall).toMatchObject({ direction: 'inbound', status: 'RINGING', number: INBOUND_CALLER_E164, ticket: setup.ticketId, contact: setup.contactId });
        const board = (await boardQueue(setup.supportQueue)).waiting;
        expect(board.map((w) => [w.callId, [...w.ringing].sort()])).toEqual([[callId, ['acme-admin', 'acme-agent']]]);

        // 3. each agent's page was told who calls before its phone rang (/user/queue/offers)
        for (const p of [page, pageB]) {
          const offers = await waitUntil(() => stompMessages<Record<string, unknown>>(p, '/user/queue/offers'), (o) => o.some((x) => x.call === callId), {
            message: `the offer of ${callId} reached the page`,
          });
          expect(offers.find((x) => x.call === callId)).toMatchObject({
            number: INBOUND_CALLER_E164,
            callerName: INBOUND_NETWORK_NAME,
            contactName: INBOUND_CONTACT,
            ticket: setup.ticketId,
            ticketSubject: INBOUND_TICKET_SUBJECT,
            queueName: SUPPORT_QUEUE,
          });
        }

        // 4. what Asterisk's PJSIP would now send for each ringing leg, the stand-in PBX sends: an INVITE per phone
        // with the header, from the caller as the network presented them
        const invite = (line: Page, extension: string) =>
          line.evaluate(
            ([target, header, from, name]) => (window as unknown as RigWindow).rig.call(target!, { headers: [header!], fromUserName: from, fromDisplayName: name }),
            [`sip:${extension}@${SIP_DOMAIN}`, `X-Voxdesk-Call-Id: ${callId}`, INBOUND_CALLER_E164, INBOUND_NETWORK_NAME] as const,
          );
        await invite(pbx!.page, AGENT_EXTENSION);
        await invite(pbxB, SECOND_EXTENSION);

        // 5. both phones ring with the popup: the contact's name and the ticket from Voxdesk, never answered by itself
        const popups: Array<[Page, number, string]> = [
          [page, incomingBefore.a, 'app-30-inbound-popup-agent1'],
          [pageB, incomingBefore.b, 'app-31-inbound-popup-agent2'],
        ];
        for (const [p, before, shot] of popups) {
          const incoming = await waitUntil(() => vxEvents(p, 'voxdesk-incoming'), (e) => e.length > before, { timeout: 15_000, message: 'voxdesk-incoming' });
          expect(incoming[before]!.detail).toMatchObject({ callId, autoAnswer: false });
          const phone = p.locator('voxdesk-phone');
          await phone.getByTestId('incoming-popup').waitFor({ state: 'visible', timeout: 10_000 });
          expect((await phone.getByTestId('incoming-name').textContent())?.trim()).toBe(INBOUND_CONTACT);
          expect((await phone.getByTestId('incoming-number').textContent())?.trim()).toBe(INBOUND_CALLER_E164);
          expect((await phone.getByTestId('incoming-ticket').textContent())?.trim()).toBe(INBOUND_TICKET_SUBJECT);
          expect(await phone.getByTestId('incoming-queue').textContent()).toContain(SUPPORT_QUEUE);
          expect(await ringing(p), 'the phone rings').toBe(true);
          await screenshot(p, shot);
        }
        for (const line of [pbx!.page, pbxB]) {
          await waitUntil(() => rigState(line), (st) => st.callState === 'progress', { message: 'the stand-in PBX got 180 Ringing' });
        }

        // 6. agent 1 answers in the browser: the PBX sees its INVITE answered and tells the simulator
        await page.locator('voxdesk-phone').getByTestId('incoming-answer').click();
        await expectPhone(page, 'data-call-state', 'established', 20_000);
        await waitUntil(() => rigState(pbx!.page), (st) => st.callState === 'confirmed', { message: 'the stand-in PBX line 1 confirmed' });
        const answeredOnSim = Date.now();
        const answered = await sim!.admin('POST', `/_sim/channels/${legA.id}/answer`);
        expect(answered.status, JSON.stringify(answered.body)).toBe(204);
        const live = await waitUntil(() => getCall(callId), (c) => c.status === 'ANSWERED', {
          timeout: 20_000,
          interval: 100,
          message: `GET /api/calls/${callId} status ANSWERED`,
        });
        timings.inboundSimAnswerToAnsweredMs = Date.now() - answeredOnSim;
        expect(live).toMatchObject({ direction: 'inbound', agent: setup.agentId, agentExtension: AGENT_EXTENSION, ticket: setup.ticketId });

        // 7. Voxdesk hangs up agent 2's leg (answered elsewhere); the PBX then CANCELs its INVITE, as Asterisk does
        await waitUntil(() => sim!.channels(), (c) => !c.some((x) => x.id === legB.id), { timeout: 15_000, message: `the simulator ended ${legB.id}` });
        const withdrawnAt = Date.now();
        await pbxB.evaluate(() => (window as unknown as RigWindow).rig.hangup({ status_code: 200, reason_phrase: 'Call completed elsewhere' }));
        await waitUntil(() => phoneAttr(pageB, 'data-call-state'), (st) => st !== 'incoming', { timeout: 10_000, message: "agent 2's phone left incoming" });
        timings.inboundOtherPhoneStoppedMs = Date.now() - withdrawnAt;
        expect(await ringing(pageB), "agent 2's phone stopped ringing").toBe(false);
        const phoneB = pageB.locator('voxdesk-phone');
        expect(await phoneB.getByTestId('incoming-popup').count(), "agent 2's popup is gone").toBe(0);
        expect(await phoneB.getByTestId('after-call').count(), 'no after-call form for a call agent 2 never had').toBe(0);
        const endedB = (await vxEvents(pageB, 'voxdesk-call-ended')).at(-1)!;
        expect(endedB.detail).toMatchObject({ cause: 'canceled', established: false, callId });
        expect((await rigState(pbxB)).callState).toBe('failed');
        expect(await phoneAttr(page, 'data-call-state'), 'agent 1 is still on the call').toBe('established');

        // 8. audio both ways between agent 1's browser and the stand-in PBX, on this machine only
        const agentAudio = await expectAudioFlowing(page, 'agent 1 hears the caller (stand-in PBX)');
        const pbxAudio = await expectAudioFlowing(pbx!.page, 'the caller (stand-in PBX) hears agent 1', { source: 'rig' });
        expectPairOnThisMachine(agentAudio.after.pair);
        timings.inboundAudio = { agent: describeFlow(agentAudio), pbx: describeFlow(pbxAudio) };

        // 9. the ticket page shows the call live, without a reload: inbound, answered by agent 1
        const row = page.locator('voxdesk-ticket-calls').locator(`[data-testid="ticket-call"][data-call-id="${callId}"]`);
        await waitUntil(() => row.getAttribute('data-status', { timeout: 1000 }), (st) => st === 'ANSWERED', {
          timeout: 15_000,
          message: `ticket-call ${callId} data-status="ANSWERED"`,
        });
        expect(await row.getAttribute('data-direction')).toBe('inbound');
        expect(await row.getByTestId('ticket-call-direction').textContent()).toContain(INBOUND_CALLER_E164);
        expect(await row.getByTestId('ticket-call-agent').textContent()).toContain('acme-agent');
        expect((await vx(page)).loadId, 'the page was not reloaded').toBe(loadId);
        await screenshot(page, 'app-32-inbound-answered');

        // 10. agent 1 hangs up; the PBX ends the leg (as Asterisk would on the BYE) and the caller goes too
        await page.locator('voxdesk-phone').getByTestId('call-hangup').click();
        await waitUntil(() => rigState(pbx!.page), (st) => st.callState === 'ended', { message: 'the stand-in PBX saw the BYE' });
        const hungUp = await sim!.admin('POST', `/_sim/channels/${legA.id}/hangup`);
        expect([204, 404], JSON.stringify(hungUp.body)).toContain(hungUp.status);
        const completed = await waitUntil(() => getCall(callId), (c) => c.status === 'COMPLETED', {
          timeout: 15_000,
          interval: 100,
          message: `GET /api/calls/${callId} status COMPLETED`,
        });
        expect(completed.outcome).toBe('ANSWERED');
        await waitUntil(() => sim!.channels(), (c) => !c.some((x) => x.id.endsWith(callId) || x.id === callerChannel), {
          timeout: 15_000,
          message: 'no channel of the call left on the simulator',
        });
        await waitUntil(() => row.getAttribute('data-status', { timeout: 1000 }), (st) => st === 'COMPLETED', {
          timeout: 15_000,
          message: `ticket-call ${callId} data-status="COMPLETED"`,
        });
        const timeline = (await agentApi.expect<TimelineEntry[]>(200, 'GET', `/api/tickets/${setup.ticketId}/timeline`)).body;
        expect(timeline.filter((e) => e.data?.callId === callId).map((e) => e.type)).toEqual(
          expect.arrayContaining(['call.started', 'call.answered', 'call.ended']),
        );
        // the answered inbound call had a call id: agent 1 gets the after-call form, and closes it
        const phoneA = page.locator('voxdesk-phone');
        await phoneA.getByTestId('after-call').waitFor({ state: 'visible', timeout: 10_000 });
        await phoneA.getByTestId('note-close').click();
        expect(failedResponses.filter((r) => r.startsWith('5')), 'no request of the pages got a server error').toEqual([]);
        passedTests.push('inbound-ring-all-one-answers');
      } finally {
        await pbxB.evaluate(() => (window as unknown as RigWindow).rig.stop()).catch(() => undefined);
        await pbxB.close();
      }
    });
  });

  it('an agent who sets away in the phone is not rung; the caller hangs up and a callback task appears', async () => {
    await withDiagnostics(async () => {
      const setup = await inboundFixture();
      const page = agent!.page;
      if ((await phoneAttr(page, 'data-state')) !== 'registered') await openDemo(page, 'acme-agent', setup.ticketId);
      const pageB = (await secondAgent(setup.ticketId)).page;
      const phone = page.locator('voxdesk-phone');
      const presence = phone.getByTestId('presence');
      await waitUntil(() => phoneAttr(page, 'data-call-state'), (st) => st === 'none' || st === 'ended', { message: 'agent 1 has no call' });
      try {
        // 1. the agent chooses away (with the tenant's first reason, if it has any) in the phone
        await presence.waitFor({ state: 'visible', timeout: 10_000 });
        const options = await presence.locator('option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
        const away = options.find((v) => v.startsWith('away:')) ?? 'away';
        await presence.selectOption(away);
        const chosen = await waitUntil(
          () => agentApi.expect<{ state: string; chosen: string; reason: string | null }>(200, 'GET', '/api/me/presence').then((r) => r.body),
          (p) => p.chosen === 'away',
          { message: 'GET /api/me/presence says away' },
        );
        expect(chosen.reason ?? null).toBe(away.startsWith('away:') ? away.slice(5) : null);
        expect(await presence.inputValue()).toBe(away);

        const before = {
          incoming: (await vxEvents(page, 'voxdesk-incoming')).length,
          offers: (await stompMessages(page, '/user/queue/offers')).length,
          dialled: ((await sim!.admin('GET', '/_sim/dialled')).body as string[]).filter((d) => d === `PJSIP/${AGENT_EXTENSION}`).length,
        };

        // 2. the customer calls the number whose queue has this agent alone
        const called = await sim!.admin('POST', `/_sim/calls?${new URLSearchParams({ to: `55${CALLBACK_DID}`, from: INBOUND_CALLER, name: INBOUND_NETWORK_NAME, app: 'voxdesk' })}`);
        expect(called.status, JSON.stringify(called.body)).toBe(200);
        const callerChannel = (called.body as { id: string }).id;
        const waiting = await waitUntil(() => boardQueue(setup.callbackQueue), (q) => q.waiting.length === 1, {
          timeout: 15_000,
          message: 'the caller waits in the callback queue (GET /api/queue-board)',
        });
        const callId = waiting.waiting[0]!.callId;
        expect(waiting.waiting[0]!.number).toBe(INBOUND_CALLER_E164);

        // 3. nobody is rung. Watched, from when the caller is seen waiting, for five times as long as the previous
        // test's caller took from there to ringing both phones, and at least 2.5 s: the pass that follows the arrival
        // and two of the distribution's one-second passes. A bounded observation window, the one timed wait here.
        const watchMs = Math.max(2500, 5 * Number(timings.inboundWaitingToBothOffersRingingMs ?? 0));
        const until = Date.now() + watchMs;
        while (Date.now() < until) {
          const legs = (await sim!.channels()).filter((c) => c.id.startsWith('vx-o') && c.id.endsWith(callId));
          expect(legs, 'no phone rings for the caller').toEqual([]);
          expect(await phoneAttr(page, 'data-call-state')).not.toBe('incoming');
          await page.waitForTimeout(100); // poll interval of the observation window
        }
        timings.awayWatchedMs = watchMs;
        expect((await vxEvents(page, 'voxdesk-incoming')).length, 'no incoming call on the phone').toBe(before.incoming);
        expect((await stompMessages(page, '/user/queue/offers')).length, 'no offer reached the page').toBe(before.offers);
        const dialled = ((await sim!.admin('GET', '/_sim/dialled')).body as string[]).filter((d) => d === `PJSIP/${AGENT_EXTENSION}`).length;
        expect(dialled, `PJSIP/${AGENT_EXTENSION} was not dialled`).toBe(before.dialled);
        const still = await boardQueue(setup.callbackQueue);
        expect(still.waiting.map((w) => [w.callId, w.ringing])).toEqual([[callId, []]]);
        expect(still.agents.find((a) => a.username === 'acme-agent')?.presence).toBe('away');
        expect((await getCall(callId)).status).toBe('RINGING');

        // the tenant admin's queue board (the second agent's page) says the same
        const board = pageB.locator('voxdesk-queue-board').getByTestId(`queue-${setup.callbackQueue}`);
        await waitUntil(() => board.getByTestId(`waiting-${callId}-ringing`).textContent({ timeout: 1000 }), (t) => !!t && [translate('en', 'board.ringingNobody'), translate('pt-BR', 'board.ringingNobody')].includes(t.trim()), {
          timeout: 15_000,
          message: 'the queue board shows the caller with no phone ringing',
        });
        expect(await board.getByTestId('agent-acme-agent').getAttribute('data-presence')).toBe('away');
        await screenshot(pageB, 'app-34-queue-board-caller-waiting-agent-away');

        // 4. the caller gives up: a missed call, abandoned, and a callback task for the agents of the queue
        const hungUp = await sim!.admin('POST', `/_sim/channels/${callerChannel}/hangup`);
        expect(hungUp.status, JSON.stringify(hungUp.body)).toBe(204);
        const missed = await waitUntil(() => getCall(callId), (c) => c.status !== 'RINGING', { timeout: 15_000, message: `call ${callId} ended` });
        expect(missed).toMatchObject({ status: 'MISSED', outcome: 'ABANDONED', ticket: setup.ticketId });
        const task = await waitUntil(
          () => agentApi.expect<Callback[]>(200, 'GET', '/api/callbacks').then((r) => r.body.find((c) => c.lastCall === callId)),
          (c) => !!c,
          { timeout: 15_000, message: 'GET /api/callbacks (as acme-agent) lists the task of the missed call' },
        );
        expect(task).toMatchObject({
          state: 'open',
          number: INBOUND_CALLER_E164,
          lastOutcome: 'abandoned',
          queue: setup.callbackQueue,
          contact: setup.contactId,
          ticket: setup.ticketId,
        });
        // the ticket's calls say why it was missed (a call nobody took reaches no agent's feed: read again)
        const calls = page.locator('voxdesk-ticket-calls');
        await calls.evaluate((e) => (e as unknown as { reload(): Promise<void> }).reload());
        const row = calls.locator(`[data-testid="ticket-call"][data-call-id="${callId}"]`);
        await waitUntil(() => row.getAttribute('data-status', { timeout: 1000 }), (st) => st === 'MISSED', { timeout: 15_000, message: `ticket-call ${callId} MISSED` });
        expect(await row.getByTestId('ticket-call-outcome').getAttribute('data-outcome')).toBe('ABANDONED');
        await screenshot(page, 'app-33-away-callback');
        timings.callbackTask = { id: task!.id, number: task!.number, lastOutcome: task!.lastOutcome };

        // 5. back to available, in the phone
        await presence.selectOption('available');
        await waitUntil(
          () => agentApi.expect<{ chosen: string }>(200, 'GET', '/api/me/presence').then((r) => r.body.chosen),
          (c) => c === 'available',
          { message: 'GET /api/me/presence says available again' },
        );
        passedTests.push('away-not-rung-callback');
      } finally {
        // whatever happened above, the agent ends available
        await agentApi.call('PUT', '/api/me/presence', { state: 'available' }).catch(() => undefined);
      }
    });
  });

  it('a tenant admin creates a voice campaign from typed text in <voxdesk-campaigns>, watches <voxdesk-campaign-monitor> count up, pauses, resumes and downloads the PDF report', { timeout: 300_000 }, async () => {
    await withDiagnostics(async () => {
      type Connection = { id: string; kind: string; name: string; enabled: boolean; settings: Record<string, string> };
      type Campaign = {
        id: string;
        name: string;
        connection: string;
        message: string;
        callerId: string;
        contacts: { tags: string[]; query: string };
        concurrency: number;
        window: { days: string[]; from: string; until: string; zone: string };
        ivr: unknown;
        state: string;
        totalContacts: number;
      };
      type Report = { campaign: string; name: string; state: string; contacts: number; byOutcome: Record<string, number>; attempts: number; inProgress: number };
      type Audio = { id: string; name: string; kind: string; text: string | null; language: string | null; durationMillis: number };
      const campaignCalls = async () => (await sim!.channels()).filter((c) => c.id.startsWith('vx-k-'));
      const endpoints = CAMPAIGN_DIALLED.map((d) => `PJSIP/${d}@trunk`);
      const campaignDialled = async () => ((await sim!.admin('GET', '/_sim/dialled')).body as string[]).filter((d) => endpoints.includes(d)).length;
      const stateWords = (state: string) => [translate('en', `campaign.state.${state}` as MessageKey), translate('pt-BR', `campaign.state.${state}` as MessageKey)];

      // 1. what the admin prepared before, through the API: contacts with a tag of this run, and the PBX connection's
      //    channel limit (the rig's connection has none); the PBX side: every number answers after 300 ms with a
      //    short "Alô?" (900 ms of talk: a person), and hears the message until Voxdesk hangs up
      for (const [i, number] of CAMPAIGN_NUMBERS.entries()) {
        await admin.expect(201, 'POST', '/api/contacts', {
          name: `Campaign contact ${i + 1} (e2e)`,
          phones: [{ number, label: 'comercial' }],
          tags: [CAMPAIGN_TAG],
        });
      }
      for (const dialled of CAMPAIGN_DIALLED) {
        const scripted = await sim!.admin('PUT', `/_sim/scripts/${dialled}`, { kind: 'answer', ringingMs: 300, hangUpAfterMs: null, greetingMs: 900 });
        expect(scripted.status, JSON.stringify(scripted.body)).toBe(204);
      }
      const connection = (await admin.expect<Connection>(200, 'GET', `/api/provider-connections/${connectionId}`)).body;
      expect(connection).toMatchObject({ kind: 'asterisk', enabled: true });
      if (!/^[0-9]+$/.test(connection.settings.channelLimit ?? '')) {
        await admin.expect(200, 'PUT', `/api/provider-connections/${connectionId}`, {
          kind: connection.kind,
          name: connection.name,
          enabled: connection.enabled,
          settings: { ...connection.settings, channelLimit: String(CAMPAIGN_CHANNEL_LIMIT) },
        });
      }
      const channelLimit = Number((await admin.expect<Connection>(200, 'GET', `/api/provider-connections/${connectionId}`)).body.settings.channelLimit);
      expect(channelLimit).toBeGreaterThanOrEqual(1);
      // The calling window is 00:00–23:59 UTC: in the last two minutes of a UTC day the campaign could not finish
      // before the window closes, so the test waits for the new day (the only case where this waits at all).
      await waitUntil(() => new Date().toISOString().slice(11, 16), (hhmm) => hhmm < '23:58', {
        timeout: 130_000,
        interval: 1_000,
        message: 'a UTC time well inside the calling window 00:00–23:59',
      });

      // 2. a tab of the agent's browser (same Keycloak bridging and instrumentation), signed in as the tenant's admin
      const page = await agent!.context.newPage();
      const serverErrors: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400) failedResponses.push(`${r.status()} ${r.request().method()} ${r.url()}`);
        if (r.status() >= 500) serverErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
      });
      page.on('console', (m) => agent!.console.push(`[campaigns ${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => agent!.console.push(`[campaigns pageerror] ${e.message}`));
      try {
        await signIn(page, `${pageOrigin}/demo/index.html?${new URLSearchParams({ ticket: ticketId, keycloak: keycloakUrl })}`, ADMIN_USER);
        expect(await page.locator('#who').textContent()).toContain(ADMIN_USER);
        const loadId = (await vx(page)).loadId;
        const campaigns = page.locator('voxdesk-campaigns');
        const list = campaigns.getByTestId('campaigns');
        await list.waitFor({ state: 'visible', timeout: 15_000 });
        await waitUntil(() => list.getAttribute('aria-busy', { timeout: 1000 }), (b) => b === 'false', {
          timeout: 15_000,
          message: "<voxdesk-campaigns> loaded the list and the form's choices",
        });

        // 3. the form: name, connection, caller id, the message typed and spoken by the server's text-to-speech,
        //    contacts by the tag, one call at a time, every day 00:00–23:59 UTC
        await campaigns.getByTestId('campaigns-new').click();
        const form = campaigns.getByTestId('campaign-form');
        await form.waitFor({ state: 'visible' });
        await form.getByTestId('campaign-name').fill(CAMPAIGN_NAME);
        await form.getByTestId('campaign-connectionId').selectOption(connectionId);
        await form.getByTestId('campaign-callerId').fill(CAMPAIGN_CALLER_ID);
        await form.getByTestId('audio-speech-text').fill(CAMPAIGN_TEXT);
        await form.getByTestId('audio-speech-language').selectOption('en-US');
        await form.getByTestId('audio-speech-name').fill(CAMPAIGN_AUDIO_NAME);
        const spoken = page.waitForResponse((r) => r.url().endsWith('/api/audio/speech') && r.request().method() === 'POST', { timeout: 30_000 });
        await form.getByTestId('audio-speech-create').click();
        expect((await spoken).status(), 'POST /api/audio/speech created the item').toBe(201);
        await form.getByTestId('audio-created').waitFor({ state: 'visible', timeout: 15_000 });
        expect(await form.getByTestId('audio-error').count()).toBe(0);
        const message = form.getByTestId('campaign-messageAudioId');
        const audioId = await message.inputValue();
        expect(audioId, 'the spoken message is chosen').toMatch(/^[0-9a-f-]{36}$/);
        expect(await message.evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent?.trim())).toBe(CAMPAIGN_AUDIO_NAME);
        expect(await form.getByTestId('audio-speech-text').inputValue(), 'the text box is emptied once spoken').toBe('');
        const audio = (await admin.expect<Audio[]>(200, 'GET', '/api/audio?kind=campaign-message')).body.find((a) => a.id === audioId);
        expect(audio).toMatchObject({ name: CAMPAIGN_AUDIO_NAME, text: CAMPAIGN_TEXT, language: 'en-US' });
        expect(audio!.durationMillis, 'the spoken message lasts a few seconds').toBeGreaterThan(1_500);

        await form.getByTestId('campaign-tags').fill(CAMPAIGN_TAG);
        await form.getByTestId('campaign-concurrency').fill('1');
        for (const day of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) await form.getByTestId(`campaign-day-${day}`).check();
        await form.getByTestId('campaign-from').fill('00:00');
        await form.getByTestId('campaign-until').fill('23:59');
        await form.getByTestId('campaign-timeZone').fill('UTC');
        const posted = page.waitForResponse((r) => r.url().endsWith('/api/campaigns') && r.request().method() === 'POST', { timeout: 15_000 });
        await form.getByTestId('campaign-save').click();
        expect((await posted).status(), 'POST /api/campaigns').toBe(201);
        await form.getByTestId('campaign-saved').waitFor({ state: 'visible', timeout: 15_000 });
        expect(await form.getByTestId('campaign-error').count()).toBe(0);
        const item = campaigns.locator('[data-testid="campaign-item"]').filter({ hasText: CAMPAIGN_NAME });
        await item.waitFor({ state: 'visible' });
        const campaignId = (await item.getAttribute('data-id'))!;
        expect(campaignId).toMatch(/^[0-9a-f-]{36}$/);
        expect(await item.getAttribute('data-state')).toBe('draft');
        const saved = (await vxEvents(page, 'voxdesk-campaign-saved')).map((e) => (e.detail as Campaign).id);
        expect(saved).toEqual([campaignId]);
        const stored = (await admin.expect<Campaign>(200, 'GET', `/api/campaigns/${campaignId}`)).body;
        expect(stored).toMatchObject({
          name: CAMPAIGN_NAME,
          connection: connectionId,
          message: audioId,
          callerId: CAMPAIGN_CALLER_ID,
          contacts: { tags: [CAMPAIGN_TAG] },
          concurrency: 1,
          ivr: null,
          state: 'draft',
        });
        expect(stored.window.days).toHaveLength(7);
        expect(stored.window.zone).toBe('UTC');
        expect(stored.window.from).toMatch(/^00:00/);
        expect(stored.window.until).toMatch(/^23:59/);
        await elementScreenshot(page.locator('#campaigns'), 'campaigns-form');

        // 4. Start in the list; the monitor (its Monitor button) shows the campaign and counts up live
        const start = page.waitForResponse((r) => r.url().endsWith(`/api/campaigns/${campaignId}/start`), { timeout: 15_000 });
        await item.getByTestId('campaign-start').click();
        expect((await start).status(), 'POST /api/campaigns/{id}/start').toBe(200);
        const startedAt = Date.now();
        await waitUntil(() => item.getAttribute('data-state', { timeout: 1000 }), (s) => s === 'running', { message: 'the list shows the campaign running' });
        expect(stateWords('running')).toContain((await item.getByTestId('campaign-state').textContent())?.trim());
        await item.getByTestId('campaign-monitor').click();
        const monitor = page.locator('voxdesk-campaign-monitor');
        await monitor.getByTestId('campaign-monitor').waitFor({ state: 'visible', timeout: 15_000 });
        expect(await monitor.getAttribute('campaign-id')).toBe(campaignId);
        const first = (await waitUntil(() => monitorFigures(page), (f) => !!f, { timeout: 15_000, message: "the monitor shows the campaign's report" }))!;
        expect(first).toMatchObject({ name: CAMPAIGN_NAME, state: 'running', contacts: CAMPAIGN_CONTACTS, answered: 0 });
        expect(first.done, 'no contact done when the monitor opened').toBe(0);
        // a call in progress: the monitor says so, and the PBX has it as vx-k-<attempt> to one of the contacts
        await waitUntil(() => monitorFigures(page), (f) => f?.inProgress === 1, { timeout: 15_000, message: 'the monitor shows 1 call in progress' });
        const calling = await waitUntil(campaignCalls, (c) => c.length > 0, { timeout: 15_000, interval: 50, message: 'a campaign call on the simulator' });
        expect(calling, 'one call at a time (concurrency 1)').toHaveLength(1);
        expect(endpoints).toContain(calling[0]!.endpoint);
        // answered counts up from 0 without a reload, from what the server pushes on the tenant's campaign topic
        const answeredOne = (await waitUntil(() => monitorFigures(page), (f) => (f?.answered ?? 0) >= 1, {
          timeout: 30_000,
          message: 'the monitor counts the first contact answered',
        }))!;
        const firstAnsweredMs = Date.now() - startedAt;
        expect(answeredOne.done).toBeGreaterThanOrEqual(1);
        expect(answeredOne.attempts).toBeGreaterThanOrEqual(1);
        expect((await vx(page)).loadId, 'the page was not reloaded').toBe(loadId);
        const topic = '/topic/tenants/acme/campaigns';
        expect(await monitor.evaluate((e) => (e as unknown as { topic: string }).topic)).toBe(topic);
        const pushed = (await stompMessages<Report>(page, topic)).filter((r) => r.campaign === campaignId);
        expect(pushed.some((r) => r.byOutcome.answered! >= 1), 'a report with an answered contact came over STOMP').toBe(true);
        // mid-campaign: the next contact's call under way
        const midway = (await waitUntil(() => monitorFigures(page), (f) => !!f && f.inProgress === 1 && (f.answered ?? 0) >= 1, {
          timeout: 15_000,
          message: 'the next call in progress',
        }))!;
        expect(midway.done!, 'contacts are left to call').toBeLessThan(CAMPAIGN_CONTACTS - 1);
        await elementScreenshot(monitor, 'campaign-monitor');

        // 5. Pause: the call under way ends by itself, then no call is placed while paused
        const pause = page.waitForResponse((r) => r.url().endsWith(`/api/campaigns/${campaignId}/pause`), { timeout: 15_000 });
        await item.getByTestId('campaign-pause').click();
        expect((await pause).status(), 'POST /api/campaigns/{id}/pause').toBe(200);
        await waitUntil(() => item.getAttribute('data-state', { timeout: 1000 }), (s) => s === 'paused', { message: 'the list shows the campaign paused' });
        expect(await item.getByTestId('campaign-resume').count()).toBe(1);
        expect(await item.getByTestId('campaign-pause').count()).toBe(0);
        const pausedShown = (await waitUntil(() => monitorFigures(page), (f) => f?.state === 'paused', { timeout: 15_000, message: 'the monitor shows the campaign paused' }))!;
        expect(stateWords('paused')).toContain(pausedShown.stateText);
        const settled = (await waitUntil(() => monitorFigures(page), (f) => f?.state === 'paused' && f.inProgress === 0, {
          timeout: 30_000,
          message: 'the paused campaign without a call in progress',
        }))!;
        expect(settled.done!, 'contacts are left, waiting for the resume').toBeLessThan(CAMPAIGN_CONTACTS);
        await waitUntil(campaignCalls, (c) => c.length === 0, { timeout: 15_000, message: 'no campaign call left on the simulator' });
        const dialledWhenPaused = await campaignDialled();
        expect(dialledWhenPaused).toBe(settled.attempts);
        // observation window (a timed wait: nothing must happen): six of the dialer's passes
        const watchStarted = Date.now();
        while (Date.now() - watchStarted < PAUSE_WATCH_MS) {
          expect(await campaignCalls(), 'no campaign call while paused').toEqual([]);
          expect(await monitorFigures(page)).toMatchObject({ state: 'paused', inProgress: 0, attempts: settled.attempts, done: settled.done });
          await page.waitForTimeout(100); // poll interval of the observation window
        }
        expect(await campaignDialled(), 'nothing dialled while paused').toBe(dialledWhenPaused);
        const pausedReport = (await admin.expect<Report>(200, 'GET', `/api/campaigns/${campaignId}/report`)).body;
        expect(pausedReport).toMatchObject({ state: 'paused', inProgress: 0, attempts: settled.attempts });

        // 6. Resume: calls again, until every contact answered and the campaign completed
        const resume = page.waitForResponse((r) => r.url().endsWith(`/api/campaigns/${campaignId}/resume`), { timeout: 15_000 });
        await item.getByTestId('campaign-resume').click();
        expect((await resume).status(), 'POST /api/campaigns/{id}/resume').toBe(200);
        const resumedAt = Date.now();
        await waitUntil(() => item.getAttribute('data-state', { timeout: 1000 }), (s) => s === 'running', { message: 'the list shows the campaign running again' });
        await waitUntil(() => monitorFigures(page), (f) => (f?.attempts ?? 0) > settled.attempts!, { timeout: 15_000, message: 'calls placed again after the resume' });
        const final = (await waitUntil(() => monitorFigures(page), (f) => f?.state === 'completed', {
          timeout: 120_000,
          message: 'the monitor shows the campaign completed',
        }))!;
        const resumeToCompletedMs = Date.now() - resumedAt;
        expect(final).toMatchObject({
          answered: CAMPAIGN_CONTACTS,
          done: CAMPAIGN_CONTACTS,
          contacts: CAMPAIGN_CONTACTS,
          inProgress: 0,
          attempts: CAMPAIGN_CONTACTS,
        });
        expect(stateWords('completed')).toContain(final.stateText);
        expect((await vx(page)).loadId, 'the page was not reloaded').toBe(loadId);
        const reports = (await vxEvents(page, 'voxdesk-campaign-report')).map((e) => e.detail as Report).filter((r) => r.campaign === campaignId);
        expect(Math.max(...reports.map((r) => r.inProgress)), 'never more than one call at a time').toBe(1);
        const answeredSeen = reports.map((r) => r.byOutcome.answered ?? 0);
        expect(answeredSeen, 'answered only counts up').toEqual([...answeredSeen].sort((a, b) => a - b));
        expect(new Set(reports.map((r) => r.state))).toEqual(new Set(['running', 'paused', 'completed']));
        const finalReport = (await admin.expect<Report>(200, 'GET', `/api/campaigns/${campaignId}/report`)).body;
        expect(finalReport).toMatchObject({ state: 'completed', contacts: CAMPAIGN_CONTACTS, attempts: CAMPAIGN_CONTACTS, inProgress: 0 });
        expect(finalReport.byOutcome.answered).toBe(CAMPAIGN_CONTACTS);
        expect(await campaignDialled(), 'each contact dialled once').toBe(CAMPAIGN_CONTACTS);
        // the list is not live: read again
        await campaigns.getByTestId('campaigns-refresh').click();
        await waitUntil(() => item.getAttribute('data-state', { timeout: 1000 }), (s) => s === 'completed', { message: 'the list shows the campaign completed' });
        for (const action of ['start', 'pause', 'resume', 'cancel']) expect(await item.getByTestId(`campaign-${action}`).count()).toBe(0);

        // 7. the PDF report, downloaded through the component (fetched with the token, handed over as a file)
        const pdfResponse = page.waitForResponse((r) => r.url().endsWith(`/api/campaigns/${campaignId}/report.pdf`), { timeout: 30_000 });
        const downloaded = page.waitForEvent('download', { timeout: 30_000 });
        await item.getByTestId('campaign-download-pdf').click();
        const [response, download] = await Promise.all([pdfResponse, downloaded]);
        expect(response.status(), 'GET /api/campaigns/{id}/report.pdf').toBe(200);
        expect(response.headers()['content-type']).toContain('application/pdf');
        expect(download.suggestedFilename()).toBe(`campaign-${campaignId}-report.pdf`);
        const pdfFile = path.join(logDir, download.suggestedFilename());
        await download.saveAs(pdfFile);
        expect(await download.failure()).toBeNull();
        const pdf = fs.readFileSync(pdfFile);
        expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(pdf.subarray(-64).toString('latin1')).toContain('%%EOF');
        // one A4 page in the standard Helvetica (no font embedded), its content Flate-compressed: about 1.6 KB
        expect(pdf.length, 'PDF size').toBeGreaterThan(1_000);
        expect(pdf.length, 'PDF size').toBeLessThan(1_000_000);
        expect(pdfHasText(pdf, CAMPAIGN_NAME), 'the PDF names the campaign').toBe(true);
        // the answered row: "6  (100.0 %)" (pt-BR: "100,0 %"), a literal string of the content stream
        expect(pdfText(pdf), 'the PDF has every contact answered').toMatch(new RegExp(String.raw`\(${CAMPAIGN_CONTACTS} +\\\(100[.,]0 %\\\)\) Tj`));
        expect(await item.getByTestId('campaign-item-error').count(), 'no download error').toBe(0);
        expect(serverErrors, 'no request of the page got a 5xx').toEqual([]);

        timings.campaign = {
          contacts: CAMPAIGN_CONTACTS,
          concurrency: 1,
          channelLimit,
          messageMillis: audio!.durationMillis,
          startToFirstAnsweredMs: firstAnsweredMs,
          answeredWhenPaused: settled.answered,
          pauseWatchedMs: PAUSE_WATCH_MS,
          resumeToCompletedMs,
          reportsReceived: reports.length,
          pdfBytes: pdf.length,
        };
        passedTests.push('campaign-create-monitor-pause-resume-pdf');
      } finally {
        await page.close();
      }
    });
  });
});
