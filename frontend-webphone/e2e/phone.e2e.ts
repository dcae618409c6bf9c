/**
 * <voxdesk-phone> in real Chromium processes against a real SIP registrar/proxy (Kamailio over WebSocket),
 * driven only through the public contract of COMPONENTS.md (data-testids, data-state, data-call-state,
 * events, peerConnection). No backend: the host page gives the element its `sipConfig`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, closeAll, launchAgent, type Agent } from './support/browser';
import { startKamailio, type Kamailio, type SipUser } from './support/kamailio';
import { resultsDir } from './support/paths';
import {
  attr,
  events,
  expectAttr,
  expectLocatorAttr,
  lastClickEpoch,
  loadPhone,
  phoneUrl,
  requireDist,
  tid,
  visibleAtEpoch,
  waitRegistered,
  watchVisible,
} from './support/phone';
import { freePort } from './support/ports';
import { screenshot } from './support/screenshots';
import { startStaticServer, type StaticServer } from './support/server';
import { describeFlow, describeWindow, expectAudioFlowing, expectAudioStopped, expectPairOnThisMachine } from './support/stats';
import { median, waitUntil } from './support/wait';

const run = Date.now().toString(36);
const USERS: Record<'A' | 'B' | 'C', SipUser> = {
  A: { user: '1001', password: `pw-1001-${run}`, displayName: 'Ana' },
  B: { user: '1002', password: `pw-1002-${run}`, displayName: 'Bruno' },
  C: { user: '1003', password: `pw-1003-${run}`, displayName: 'Carla' },
};

let kam: Kamailio | undefined;
let server: StaticServer | undefined;
const timings = {
  pageLoadToRegisteredMs: [] as number[],
  attachToRegisteredMs: [] as number[],
  callClickToIncomingPopupMs: [] as number[],
};

function recordRegistration(t: { fromNavigation: number; fromAttach: number }): void {
  timings.pageLoadToRegisteredMs.push(t.fromNavigation);
  timings.attachToRegisteredMs.push(t.fromAttach);
}

beforeAll(async () => {
  requireDist();
  kam = await startKamailio({ users: Object.values(USERS) });
  server = await startStaticServer();
});

afterAll(async () => {
  try {
    await server?.close();
  } finally {
    await kam?.stop();
  }
  if (timings.pageLoadToRegisteredMs.length || timings.callClickToIncomingPopupMs.length) {
    fs.mkdirSync(resultsDir, { recursive: true });
    let chromium = '';
    try {
      chromium = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      /* informational only */
    }
    const entry = (xs: number[]) => ({ median: median(xs), samples: xs });
    fs.writeFileSync(
      path.join(resultsDir, 'webphone-timings.json'),
      JSON.stringify(
        {
          measuredAt: new Date().toISOString(),
          machine: { cpus: os.cpus().length, chromium, kamailio: '127.0.0.1 over WebSocket' },
          notes: {
            pageLoadToRegisteredMs: 'navigation start of the host page to the voxdesk-registered event (in-page clock)',
            attachToRegisteredMs: 'host page appends <voxdesk-phone> (library loaded) to the voxdesk-registered event',
            callClickToIncomingPopupMs:
              "click on A's dial-call to B's incoming-popup first visible (epoch clocks of two Chromium processes on one machine, 2 ms polling in B)",
          },
          pageLoadToRegisteredMs: entry(timings.pageLoadToRegisteredMs.map(round)),
          attachToRegisteredMs: entry(timings.attachToRegisteredMs.map(round)),
          callClickToIncomingPopupMs: entry(timings.callClickToIncomingPopupMs.map(round)),
        },
        null,
        2,
      ) + '\n',
    );
  }
});

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

function load(user: SipUser, extra: { password?: string; ws?: string; bundle?: 'es' | 'iife' } = {}): string {
  return phoneUrl(server!.origin, {
    ws: extra.ws ?? kam!.wsUrl,
    user: user.user,
    password: extra.password ?? user.password,
    domain: kam!.domain,
    name: user.displayName,
    bundle: extra.bundle,
  });
}

/** Collapses repeated lines ("x (12 times)"), keeping first-seen order. */
function dedupe(lines: string[]): string[] {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([l, n]) => (n > 1 ? `${l} (${n} times)` : l));
}

/** Runs a test body with its own browsers; always closes them; adds logs to a failure. */
async function withAgents(names: string[], body: (agents: Agent[]) => Promise<void>): Promise<void> {
  const agents: Agent[] = [];
  try {
    agents.push(...(await Promise.all(names.map((n) => launchAgent(n)))));
    await body(agents);
  } catch (e) {
    const logs = dedupe(agents.flatMap((a) => a.console)).slice(-80).join('\n');
    const err = new Error(
      `${(e as Error).message}\n--- browser console ---\n${logs}\n--- requests the rig could not serve ---\n${dedupe(server?.misses ?? []).slice(-20).join('\n')}\n--- kamailio (tail) ---\n${kam?.log().split('\n').filter((l) => l.includes('rig:')).slice(-40).join('\n')}`,
    );
    err.stack = `${err.message}\n${(e as Error).stack ?? ''}`;
    throw err;
  } finally {
    await closeAll(agents);
  }
}

/** A calls `target` from the dial pad; resolves when `callee` shows the incoming popup; records the timing. */
async function dialAndRing(caller: Agent, callee: Agent, target: string): Promise<number> {
  await watchVisible(callee, 'incoming-popup');
  await tid(caller, 'dial-input').fill(target);
  await tid(caller, 'dial-call').click();
  await tid(callee, 'incoming-popup').waitFor({ state: 'visible', timeout: 10_000 });
  const clicked = await lastClickEpoch(caller, 'dial-call');
  const shown = await waitUntil(() => visibleAtEpoch(callee, 'incoming-popup'), (x) => x !== null, {
    timeout: 2000,
    message: `${callee.name}: in-page visibility timestamp of incoming-popup`,
  });
  expect(clicked, 'click on dial-call seen by the host page').not.toBeNull();
  const ms = shown! - clicked!;
  expect(ms).toBeGreaterThan(0);
  timings.callClickToIncomingPopupMs.push(ms);
  return ms;
}

describe('<voxdesk-phone> against Kamailio in real Chromium', () => {
  it('registers, calls, answers, carries audio both ways, DTMF, hold/resume, blind transfer, hang up, after-call form (1001, 1002, 1003)', async () => {
    await withAgents(['A', 'B', 'C'], async ([a, b, c]) => {
      const A = a!;
      const B = b!;
      const C = c!;

      // --- register all three
      await Promise.all([loadPhone(A, load(USERS.A)), loadPhone(B, load(USERS.B)), loadPhone(C, load(USERS.C))]);
      for (const x of [A, B, C]) {
        recordRegistration(await waitRegistered(x));
        expect(await tid(x, 'phone-status').textContent()).toBeTruthy();
        expect(await events(x, 'voxdesk-registered')).toHaveLength(1);
        expect(await attr(x, 'data-call-state')).toBe('none');
      }
      expect(await tid(A, 'diagnostics').isVisible()).toBe(false);
      await screenshot(A.page, '01-registered-idle');

      // --- A dials B; B's popup shows A's number
      const ringMs = await dialAndRing(A, B, USERS.B.user);
      console.log(`call click -> B incoming popup: ${ringMs.toFixed(1)} ms`);
      expect(await tid(B, 'incoming-number').textContent()).toContain(USERS.A.user);
      await expectAttr(B, 'data-call-state', 'incoming');
      await expectAttr(A, 'data-call-state', ['outgoing', 'ringing']);
      const incoming = (await events(B, 'voxdesk-incoming'))[0];
      // the rig's proxy tags calls like the PBX (X-Voxdesk-Call-Id); an id this page never requested must not
      // be auto-answered
      expect(incoming?.detail).toMatchObject({ number: USERS.A.user, autoAnswer: false, callId: expect.stringMatching(/^e2e-/) });
      await screenshot(B.page, '02-incoming-popup');

      // --- B answers
      await tid(B, 'incoming-answer').click();
      await Promise.all([expectAttr(A, 'data-call-state', 'established'), expectAttr(B, 'data-call-state', 'established')]);
      await Promise.all([
        tid(A, 'in-call').waitFor({ state: 'visible', timeout: 5000 }),
        tid(B, 'in-call').waitFor({ state: 'visible', timeout: 5000 }),
        tid(B, 'incoming-popup').waitFor({ state: 'hidden', timeout: 5000 }),
      ]);

      // --- audio both ways: packets and energy rise on both sides
      const [atB, atA] = await Promise.all([expectAudioFlowing(B.page, 'A->B audio at B'), expectAudioFlowing(A.page, 'B->A audio at A')]);
      console.log(`audio at B: ${describeFlow(atB)}; at A: ${describeFlow(atA)}`);
      expectPairOnThisMachine(atA.after.pair);
      expectPairOnThisMachine(atB.after.pair);
      await screenshot(A.page, '03-in-call');

      // 360 px wide: the phone fits without horizontal scrolling
      await B.page.setViewportSize({ width: 360, height: 740 });
      const widths = await B.page.evaluate(() => ({
        doc: document.documentElement.scrollWidth,
        phone: Math.ceil(document.querySelector('voxdesk-phone')!.getBoundingClientRect().right),
      }));
      expect(widths.doc, 'page scroll width at 360 px').toBeLessThanOrEqual(360);
      expect(widths.phone, 'phone right edge at 360 px').toBeLessThanOrEqual(360);
      await screenshot(B.page, '04-in-call-360px');

      // --- DTMF 1 2 # from A's in-call pad, received by B as SIP INFO
      await tid(A, 'call-dtmf-toggle').click();
      await expectLocatorAttr(A, tid(A, 'call-dtmf-toggle'), 'aria-pressed', 'true');
      await tid(A, 'dtmf-1').waitFor({ state: 'visible', timeout: 5000 });
      await screenshot(A.page, '05-dtmf-pad');
      for (const key of ['dtmf-1', 'dtmf-2', 'dtmf-hash']) await tid(A, key).click();
      const tones = await waitUntil(
        async () => (await events(B, 'voxdesk-dtmf-received')).map((e) => String(e.detail?.tone)),
        (t) => t.length >= 3,
        { timeout: 10_000, message: 'B received three DTMF tones' },
      );
      expect(tones).toEqual(['1', '2', '#']);
      expect(await events(A, 'voxdesk-dtmf-received')).toHaveLength(0);

      // --- A holds: B's inbound audio stops; A resumes: it flows again
      await tid(A, 'call-hold').click();
      await expectLocatorAttr(A, tid(A, 'call-hold'), 'aria-pressed', 'true');
      await expectAttr(A, 'data-call-state', 'held');
      // no audio reaches B (JsSIP's sendonly hold keeps sending silence frames: see expectAudioStopped) and
      // B, answering recvonly, sends A nothing at all
      const [heldB, heldA] = await Promise.all([
        expectAudioStopped(B.page, 'no audio reaches B while A holds', { mode: 'silence' }),
        expectAudioStopped(A.page, 'B sends nothing to A while A holds', { mode: 'packets' }),
      ]);
      console.log(`on hold, 1 s window: B inbound ${describeWindow(heldB)}; A inbound ${describeWindow(heldA)}`);
      await screenshot(A.page, '06-on-hold');
      await tid(A, 'call-hold').click();
      await expectLocatorAttr(A, tid(A, 'call-hold'), 'aria-pressed', 'false');
      await expectAttr(A, 'data-call-state', 'established');
      const [resumedB, resumedA] = await Promise.all([
        expectAudioFlowing(B.page, 'B inbound audio after A resumes'),
        expectAudioFlowing(A.page, 'A inbound audio after A resumes'),
      ]);
      console.log(`after resume at B: ${describeFlow(resumedB)}; at A: ${describeFlow(resumedA)}`);

      // --- B transfers A to C (blind, REFER); C answers; A talks to C; B's call is over
      await watchVisible(C, 'incoming-popup');
      await tid(B, 'call-transfer-input').fill(USERS.C.user);
      await tid(B, 'call-transfer').click();
      await tid(C, 'incoming-popup').waitFor({ state: 'visible', timeout: 10_000 });
      expect(await tid(C, 'incoming-number').textContent()).toContain(USERS.A.user);
      await tid(C, 'incoming-answer').click();
      await expectAttr(C, 'data-call-state', 'established');
      await expectAttr(B, 'data-call-state', ['ended', 'none']);
      expect((await events(B, 'voxdesk-call-ended')).length).toBeGreaterThanOrEqual(1);
      await expectAttr(A, 'data-call-state', 'established');
      const [atC, atA2] = await Promise.all([expectAudioFlowing(C.page, 'A->C audio at C'), expectAudioFlowing(A.page, 'C->A audio at A')]);
      console.log(`after transfer, audio at C: ${describeFlow(atC)}; at A: ${describeFlow(atA2)}`);
      expect(await B.page.evaluate(() => (document.querySelector('voxdesk-phone') as unknown as { peerConnection: unknown }).peerConnection)).toBeNull();
      // B's leg (it carried a call id) is over: B gets its after-call form
      await tid(B, 'after-call').waitFor({ state: 'visible', timeout: 5000 });

      // --- A hangs up; both ends leave the call; C (its leg carries a call id) gets the after-call form
      await tid(A, 'call-hangup').click();
      await Promise.all([expectAttr(A, 'data-call-state', ['ended', 'none']), expectAttr(C, 'data-call-state', ['ended', 'none'])]);
      await tid(C, 'after-call').waitFor({ state: 'visible', timeout: 5000 });
      for (const id of ['note-input', 'disposition-select', 'note-save']) {
        expect(await tid(C, id).isVisible(), `${id} in C's after-call form`).toBe(true);
      }
      expect((await events(A, 'voxdesk-call-ended')).length).toBeGreaterThanOrEqual(1);
      expect((await events(C, 'voxdesk-call-ended')).length).toBeGreaterThanOrEqual(1);
      await screenshot(C.page, '07-after-call');
      for (const x of [A, B, C]) expect(await attr(x, 'data-state')).toBe('registered');
    });
  });

  it('mute silences the outgoing audio; the callee hangs up; the callee gets the after-call form (1001, 1002)', async () => {
    await withAgents(['A1', 'B1'], async ([a, b]) => {
      const A = a!;
      const B = b!;
      await Promise.all([loadPhone(A, load(USERS.A)), loadPhone(B, load(USERS.B))]);
      for (const x of [A, B]) recordRegistration(await waitRegistered(x));
      await dialAndRing(A, B, USERS.B.user);
      await tid(B, 'incoming-answer').click();
      await Promise.all([expectAttr(A, 'data-call-state', 'established'), expectAttr(B, 'data-call-state', 'established')]);
      await expectAudioFlowing(A.page, 'B->A audio at A');

      await tid(B, 'call-mute').click();
      await expectLocatorAttr(B, tid(B, 'call-mute'), 'aria-pressed', 'true');
      const muted = await expectAudioStopped(A.page, 'no audio reaches A while B is muted', { mode: 'silence' });
      console.log(`B muted, A inbound 1 s window: ${describeWindow(muted)}`);
      await tid(B, 'call-mute').click();
      await expectLocatorAttr(B, tid(B, 'call-mute'), 'aria-pressed', 'false');
      await expectAudioFlowing(A.page, 'B->A audio at A after unmute');

      await tid(B, 'call-hangup').click();
      await Promise.all([expectAttr(A, 'data-call-state', ['ended', 'none']), expectAttr(B, 'data-call-state', ['ended', 'none'])]);
      await tid(B, 'after-call').waitFor({ state: 'visible', timeout: 5000 });
      await tid(B, 'in-call').waitFor({ state: 'hidden', timeout: 5000 });
      expect(await A.page.evaluate(() => (document.querySelector('voxdesk-phone') as unknown as { peerConnection: unknown }).peerConnection)).toBeNull();
    });
  });

  it('measures page load -> registered and call click -> ringing over repeated loads (ES and IIFE builds)', async () => {
    await withAgents(['A2', 'B2'], async ([a, b]) => {
      for (let i = 0; i < 4; i++) {
        const bundle = i % 2 === 0 ? 'es' : 'iife';
        // a fresh page each round: one registration sample per agent and no leftovers of the last call
        await Promise.all([loadPhone(a!, load(USERS.A, { bundle })), loadPhone(b!, load(USERS.B, { bundle }))]);
        for (const x of [a!, b!]) recordRegistration(await waitRegistered(x));
        if (bundle === 'iife') {
          expect(await a!.page.evaluate(() => typeof (window as unknown as { Voxdesk?: unknown }).Voxdesk)).toBe('object');
        }
        await dialAndRing(a!, b!, USERS.B.user);
        // caller gives up while it rings (CANCEL): both sides leave the call
        await tid(a!, 'call-hangup').click();
        await Promise.all([expectAttr(a!, 'data-call-state', ['ended', 'none']), expectAttr(b!, 'data-call-state', ['ended', 'none'])]);
        await tid(b!, 'incoming-popup').waitFor({ state: 'hidden', timeout: 5000 });
      }
    });
  });

  it('a wrong password shows the wrong-password diagnostic', async () => {
    await withAgents(['wrong'], async ([x]) => {
      await loadPhone(x!, load(USERS.A, { password: 'definitely-not-it' }));
      await expectAttr(x!, 'data-state', 'failed', 15_000);
      const d = tid(x!, 'diagnostics');
      await d.waitFor({ state: 'visible', timeout: 5000 });
      expect(await d.getAttribute('data-problem')).toBe('wrong-password');
      expect((await d.textContent())?.trim().length).toBeGreaterThan(10);
      expect((await events(x!, 'voxdesk-registration-failed')).length).toBeGreaterThanOrEqual(1);
      expect(await events(x!, 'voxdesk-registered')).toHaveLength(0);
      await screenshot(x!.page, '08-diagnostics-wrong-password');
    });
  });

  it('an unreachable server shows the server-unreachable diagnostic', async () => {
    const closedPort = await freePort(); // free = nothing listens there
    await withAgents(['unreachable'], async ([x]) => {
      await loadPhone(x!, load(USERS.A, { ws: `ws://127.0.0.1:${closedPort}` }));
      const d = tid(x!, 'diagnostics');
      await d.waitFor({ state: 'visible', timeout: 15_000 });
      await expectLocatorAttr(x!, d, 'data-problem', 'server-unreachable');
      expect((await d.textContent())?.trim().length).toBeGreaterThan(10);
      expect(await attr(x!, 'data-state')).not.toBe('registered');
      await screenshot(x!.page, '09-diagnostics-server-unreachable');
    });
  });
});
