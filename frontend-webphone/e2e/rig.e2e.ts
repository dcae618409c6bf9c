/**
 * Rig self-test: proves Kamailio + two Chromium processes + WebRTC audio work with raw JsSIP, without the
 * Voxdesk library. If this fails, the phone tests cannot tell you anything about the library.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, launchAgent, type Agent } from './support/browser';
import { buildJsSipBundle } from './support/jssip-bundle';
import { startKamailio, type Kamailio } from './support/kamailio';
import { startStaticServer, type StaticServer } from './support/server';
import { describeFlow, describeWindow, expectAudioFlowing, expectAudioStopped, expectPairOnThisMachine } from './support/stats';
import { waitUntil } from './support/wait';

type RigState = {
  registration: string;
  failedCause: string | null;
  callState: string;
  endCause: string | null;
  incomingFrom: string | null;
  referredTo: string | null;
  transfer: string | null;
  dtmf: string[];
};
type RigWindow = {
  rig: {
    state: RigState;
    start(): void;
    call(t: string): void;
    answer(): void;
    hangup(): void;
    sendDtmf(t: string): void;
    hold(): Promise<void>;
    unhold(): Promise<void>;
    held(): { local: boolean; remote: boolean } | null;
    transfer(t: string): void;
  };
};

const users = [
  { user: '2001', password: 'rig-pass-2001' },
  { user: '2002', password: 'rig-pass-2002' },
  { user: '2003', password: 'rig-pass-2003' },
];

let kam: Kamailio | undefined;
let server: StaticServer | undefined;
let bundle: Awaited<ReturnType<typeof buildJsSipBundle>> | undefined;
const agents: Agent[] = [];

beforeAll(async () => {
  bundle = await buildJsSipBundle();
  kam = await startKamailio({ users });
  server = await startStaticServer({ '/rig/': bundle.dir });
});

afterAll(async () => {
  try {
    await closeAll(agents);
  } finally {
    await server?.close();
    await kam?.stop();
    bundle?.remove();
  }
});

function rigUrl(user: string, password: string): string {
  const q = new URLSearchParams({ ws: kam!.wsUrl, uri: `sip:${user}@${kam!.domain}`, user, password });
  return `${server!.origin}/pages/rig.html?${q}`;
}

async function state(a: Agent): Promise<RigState> {
  return a.page.evaluate(() => (window as unknown as RigWindow).rig.state);
}

function diag(): string {
  return `\n--- browser console ---\n${agents.flatMap((a) => a.console).slice(-60).join('\n')}\n--- kamailio (SIP flow) ---\n${kam?.log().split('\n').filter((l) => l.includes('rig:')).slice(-40).join('\n')}`;
}

describe('rig self-test (raw JsSIP, no Voxdesk library)', () => {
  it('three agents: register, A calls B, audio both ways, DTMF (INFO), hold/unhold, B transfers A to C (REFER), hang up', async () => {
    const [a, b, c] = await Promise.all([launchAgent('rigA'), launchAgent('rigB'), launchAgent('rigC')]);
    agents.push(a!, b!, c!);
    const A = a!;
    const B = b!;
    const C = c!;
    // calls window.rig[method](arg) in the page; awaits a returned promise
    const rig = (x: Agent, method: Exclude<keyof RigWindow['rig'], 'state'>, arg?: string) =>
      x.page.evaluate(
        ([m, ar]) => (window as unknown as Record<string, Record<string, (a?: string) => unknown>>).rig![m]!(ar ?? undefined),
        [method, arg ?? null] as const,
      );
    try {
      await Promise.all(
        [[A, '2001'], [B, '2002'], [C, '2003']].map(([x, u]) => (x as Agent).page.goto(rigUrl(u as string, `rig-pass-${u}`))),
      );
      for (const x of [A, B, C]) await rig(x, 'start');
      for (const x of [A, B, C]) {
        await waitUntil(() => state(x), (s) => s.registration !== 'idle', { timeout: 10_000, message: `${x.name} registration` });
        expect((await state(x)).registration).toBe('registered');
      }

      // call + answer
      await rig(A, 'call', '2002');
      const incoming = await waitUntil(() => state(B), (s) => s.incomingFrom !== null, { message: 'B sees the INVITE' });
      expect(incoming.incomingFrom).toBe('2001');
      await rig(B, 'answer');
      for (const x of [A, B]) {
        await waitUntil(() => state(x), (s) => s.callState === 'confirmed', { message: `${x.name} call confirmed` });
      }

      // audio both ways, on this machine only
      const [toB, toA] = await Promise.all([
        expectAudioFlowing(B.page, 'A->B audio at B', { source: 'rig' }),
        expectAudioFlowing(A.page, 'B->A audio at A', { source: 'rig' }),
      ]);
      console.log(`rig audio at B: ${describeFlow(toB)}; at A: ${describeFlow(toA)}`);
      expectPairOnThisMachine(toA.after.pair);
      expectPairOnThisMachine(toB.after.pair);

      // DTMF as SIP INFO through the proxy (in-dialog, Record-Route)
      await rig(A, 'sendDtmf', '12#');
      const dtmf = await waitUntil(() => state(B), (s) => s.dtmf.length >= 3, { message: 'B received DTMF' });
      expect(dtmf.dtmf).toEqual(['1', '2', '#']);

      // hold: re-INVITE sendonly; B's inbound audio stops; unhold: it flows again
      await rig(A, 'hold');
      expect(await rig(A, 'held')).toMatchObject({ local: true });
      const [heldB, heldA] = await Promise.all([
        expectAudioStopped(B.page, 'no audio reaches B while A holds', { mode: 'silence', source: 'rig' }),
        expectAudioStopped(A.page, 'B sends nothing to A while A holds', { mode: 'packets', source: 'rig' }),
      ]);
      console.log(`rig on hold, 1 s window: B inbound ${describeWindow(heldB)}; A inbound ${describeWindow(heldA)}`);
      await rig(A, 'unhold');
      await Promise.all([
        expectAudioFlowing(B.page, 'B inbound after unhold', { source: 'rig' }),
        expectAudioFlowing(A.page, 'A inbound after unhold', { source: 'rig' }),
      ]);

      // blind transfer: B sends REFER to A; A calls C through the proxy; C answers; B hangs up on NOTIFY 200
      await rig(B, 'transfer', '2003');
      const atC = await waitUntil(() => state(C), (s) => s.incomingFrom !== null, { message: 'C sees the INVITE from A' });
      expect(atC.incomingFrom).toBe('2001');
      expect((await state(A)).referredTo).toBe('2003');
      await rig(C, 'answer');
      for (const x of [A, C]) {
        await waitUntil(() => state(x), (s) => s.callState === 'confirmed', { message: `${x.name} transferred call confirmed` });
      }
      await waitUntil(() => state(B), (s) => s.transfer === 'accepted' && s.callState === 'ended', { message: 'B: transfer accepted and call ended' });
      await Promise.all([
        expectAudioFlowing(C.page, 'A->C audio at C', { source: 'rig' }),
        expectAudioFlowing(A.page, 'C->A audio at A', { source: 'rig' }),
      ]);

      await rig(A, 'hangup');
      for (const x of [A, C]) {
        await waitUntil(() => state(x), (s) => s.callState === 'ended', { message: `${x.name} call ended` });
      }
      expect((await state(C)).endCause).toBe('Terminated');
    } catch (e) {
      throw new Error(`${(e as Error).message}${diag()}`, { cause: e });
    }
  });

  it('a wrong password fails registration with "Authentication Error"', async () => {
    const c = await launchAgent('rigWrong');
    agents.push(c);
    try {
      await c.page.goto(rigUrl('2001', 'not-the-password'));
      await c.page.evaluate(() => (window as unknown as RigWindow).rig.start());
      const s = await waitUntil(() => state(c), (st) => st.registration !== 'idle', { message: 'registration outcome' });
      expect(s.registration).toBe('failed');
      expect(s.failedCause).toBe('Authentication Error');
    } catch (e) {
      throw new Error(`${(e as Error).message}${diag()}`, { cause: e });
    }
  });

  it('an unknown user fails registration with "Authentication Error" too', async () => {
    const c = await launchAgent('rigUnknown');
    agents.push(c);
    await c.page.goto(rigUrl('2999', 'whatever'));
    await c.page.evaluate(() => (window as unknown as RigWindow).rig.start());
    const s = await waitUntil(() => state(c), (st) => st.registration !== 'idle', { message: 'registration outcome' });
    expect(s.registration).toBe('failed');
    expect(s.failedCause).toBe('Authentication Error');
  });
});
