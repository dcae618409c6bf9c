/**
 * The SIP side of `./voxdesk demo`'s PBX. The demo's PBX is the ARI simulator, which speaks ARI to Voxdesk but no SIP;
 * this process gives it the SIP leg a real Asterisk would have: Kamailio (SIP over WebSocket, the demo users'
 * extensions with their passwords) and a stand-in user agent (raw JsSIP in headless Chromium, the same page as the
 * app e2e test's) that calls the agent's phone when the simulator rings an agent leg, with the call's
 * X-Voxdesk-Call-Id, so the webphone in the demo page rings and answers its own click-to-call. When the phone answers,
 * the simulator is told the agent picked up (and dials the customer); when either side hangs up, the other follows.
 *
 * Run by ./voxdesk demo: npx vite-node demo-pbx/run.ts -- --simulator <url> --port <ws port> --users 1000:<pw>,...
 * Prints "demo-pbx: ready <ws url>" once Kamailio and the stand-in user agent are registered. SIGTERM stops all.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { launchAgent } from '../e2e/support/browser';
import { buildJsSipBundle } from '../e2e/support/jssip-bundle';
import { startKamailio, type SipUser } from '../e2e/support/kamailio';
import { e2eDir } from '../e2e/support/paths';
import { simulatorAdmin, type SimChannel as Channel } from '../e2e/app/support/backend';
import { startPageServer } from '../e2e/app/support/pages';

const HEADER_VARIABLE = 'PJSIP_HEADER(add,X-Voxdesk-Call-Id)';

/** JsSIP's causes for "no phone registered there" (Kamailio's 404 and 480). */
const NOBODY_THERE = new Set(['Not Found', 'Unavailable']);

function option(name: string, fallback?: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? process.argv[index + 1] : fallback;
  if (!value) throw new Error(`demo-pbx: --${name} is required`);
  return value;
}

const simulator = option('simulator').replace(/\/+$/, '');
const port = Number(option('port', '5066'));
const domain = option('domain', '127.0.0.1');
const users: SipUser[] = option('users')
  .split(',')
  .map((entry) => {
    const [user, password] = entry.split(':');
    return { user: user!, password: password! };
  });
const extensions = new Set(users.map((u) => u.user));
const pbxUser = { user: 'pbx', password: crypto.randomBytes(12).toString('hex') };

const log = (message: string) => console.log(`demo-pbx: ${new Date().toISOString()} ${message}`);

const sim = simulatorAdmin(simulator);

const kamailio = await startKamailio({ users: [...users, pbxUser], domain, port, tagCalls: false });
const bundle = await buildJsSipBundle();
const pages = await startPageServer({ '/rig/': bundle.dir, '/app-pages/': path.join(e2eDir, 'app', 'pages') });
const browser = await launchAgent('demo-pbx', { width: 480, height: 400 });
const stop = async () => {
  await browser.close().catch(() => undefined);
  await pages.close().catch(() => undefined);
  await kamailio.stop().catch(() => undefined);
  bundle.remove();
};
process.once('SIGTERM', () => void stop().finally(() => process.exit(0)));
process.once('SIGINT', () => void stop().finally(() => process.exit(0)));

type Rig = { rig: { state: { registration: string; callState: string; endCause: string | null }; start(): void; call(t: string, o: object): void; hangup(): void } };
const page = browser.page;
try {
  const query = new URLSearchParams({ ws: kamailio.wsUrl, uri: `sip:pbx@${domain}`, user: pbxUser.user, password: pbxUser.password });
  await page.goto(`${pages.origin}/app-pages/pbx.html?${query}`);
  await page.evaluate(() => (window as unknown as Rig).rig.start());
  await page.waitForFunction(() => (window as unknown as Rig).rig.state.registration !== 'idle', undefined, { timeout: 15_000 });
  const registration = await page.evaluate(() => (window as unknown as Rig).rig.state.registration);
  if (registration !== 'registered') throw new Error(`the stand-in user agent could not register (${registration})`);
  // The agents' legs ring until their phones answer (the simulator would otherwise answer them by itself).
  for (const extension of extensions) {
    const scripted = await sim('PUT', `/_sim/scripts/${extension}`, { kind: 'noAnswer' });
    if (scripted.status !== 204) throw new Error(`the simulator refused a script for ${extension}: ${scripted.status}`);
  }
} catch (error) {
  console.error(`demo-pbx: could not start: ${(error as Error).message}`);
  await stop();
  process.exit(1);
}
log(`ready ${kamailio.wsUrl} (domain ${domain}, extensions ${[...extensions].join(', ')})`);

/** The agent leg being put through to a phone, one at a time (the stand-in user agent has one line). */
let current: { channel: string; callId: string; answered: boolean; phoneless: boolean } | null = null;

/** Ends every leg of the call on the PBX (agent and customer). */
async function hangUpOnPbx(channels: Channel[], callId: string): Promise<void> {
  for (const c of channels.filter((c) => c.variables?.[HEADER_VARIABLE] === callId || c.id.endsWith(callId))) {
    await sim('POST', `/_sim/channels/${c.id}/hangup`);
  }
}

function ringingAgentLeg(channels: Channel[]): Channel | undefined {
  return channels.find((c) => c.state === 'Ringing' && c.variables?.[HEADER_VARIABLE]
    && extensions.has(c.endpoint.replace(/^PJSIP\//, '')) && c.id !== current?.channel);
}

async function tick(): Promise<void> {
  const answer = await sim('GET', '/_sim/channels');
  if (answer.status !== 200) return;
  const channels = answer.body as Channel[];
  const state = await page.evaluate(() => ({ ...(window as unknown as Rig).rig.state }));
  if (current && ringingAgentLeg(channels)) {
    // A newer click while a call is up (a phone that went away without hanging up, say): the stand-in has one
    // line, so the older call is ended on both sides and the newer one put through.
    log(`call ${current.callId}: ended for a newer call`);
    await page.evaluate(() => (window as unknown as Rig).rig.hangup());
    await hangUpOnPbx(channels, current.callId);
    current = null;
  }
  if (current) {
    const leg = channels.find((c) => c.id === current!.channel);
    const sipDone = state.callState === 'ended' || state.callState === 'failed';
    if (!leg) {
      // the PBX side ended (the customer or Voxdesk hung up): so does the phone
      if (!sipDone) await page.evaluate(() => (window as unknown as Rig).rig.hangup());
      log(`call ${current.callId}: the PBX ended the agent leg`);
      current = null;
    } else if (current.phoneless) {
      // answered by the PBX itself: it carries the call alone until it ends
    } else if (sipDone && !current.answered && NOBODY_THERE.has(state.endCause ?? '')) {
      // No phone of that extension is signed in (a click-to-call made with curl, say): the demo PBX answers for it,
      // as the simulator alone would, so the call goes on to the customer.
      log(`call ${current.callId}: no phone signed in for the extension (${state.endCause}); the PBX answers for it`);
      current.phoneless = true;
      await sim('POST', `/_sim/channels/${current.channel}/answer`);
    } else if (sipDone) {
      // the agent hung up (or refused, or never answered): the PBX ends every leg of the call
      log(`call ${current.callId}: the phone ended it (${state.endCause ?? 'hang-up'})`);
      await hangUpOnPbx(channels, current.callId);
      current = null;
    } else if (state.callState === 'confirmed' && !current.answered) {
      current.answered = true;
      log(`call ${current.callId}: the agent answered; the PBX dials the customer`);
      await sim('POST', `/_sim/channels/${current.channel}/answer`);
    }
    return;
  }
  const ringing = ringingAgentLeg(channels);
  if (!ringing) return;
  const extension = ringing.endpoint.replace(/^PJSIP\//, '');
  const callId = ringing.variables![HEADER_VARIABLE]!;
  current = { channel: ringing.id, callId, answered: false, phoneless: false };
  log(`call ${callId}: ringing extension ${extension}`);
  await page.evaluate(
    ([target, header]) => (window as unknown as Rig).rig.call(target!, { headers: [header!], fromUserName: 'voxdesk', fromDisplayName: 'Voxdesk' }),
    [`sip:${extension}@${domain}`, `X-Voxdesk-Call-Id: ${callId}`] as const,
  );
}

// Polls the simulator's channels, as Asterisk's PJSIP would act on its own channels at once.
for (;;) {
  try {
    await tick();
  } catch (error) {
    log(`could not follow the PBX: ${(error as Error).message}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}
