/**
 * The demo as a newcomer runs it (issue 19, point 9), against a running `./voxdesk demo`: the demo page printed by
 * the demo, signed in as acme-agent at Keycloak (code flow with PKCE), shows the demo ticket from the API; the phone
 * in the page registers on the demo's Kamailio; a click on the customer's number rings that phone, which answers its
 * own click-to-call, the call shows live on the ticket, and hanging up in the phone ends it; with ?lang=en the page
 * and the components speak English. Usage: node e2e/demo/smoke.mjs <demo page URL>; exits 1 on the first failure.
 * `./voxdesk test` runs it after the other tests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const url = process.argv[2];
if (!url) {
  console.error('usage: node e2e/demo/smoke.mjs <demo page URL, as ./voxdesk demo prints it>');
  process.exit(2);
}
const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-results', 'screenshots');
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'voxdesk-demo-smoke-'));
const step = (message) => console.log(`demo smoke: ${message}`);

const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  // see e2e/README.md ("Chromium flags")
  args: ['--allow-loopback-in-peer-connection', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  viewport: { width: 1280, height: 900 },
  timeout: 30_000,
});
const serverErrors = [];
try {
  await context.grantPermissions(['microphone']);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('response', (r) => {
    if (r.status() >= 500) serverErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  const phone = page.locator('voxdesk-phone');
  const attribute = (name, value, timeout) =>
    page.waitForFunction(([n, v]) => document.querySelector('voxdesk-phone')?.getAttribute(n) === v, [name, value], { timeout });

  await page.goto(url);
  await page.locator('#sign-in').click();
  await page.waitForURL((u) => u.pathname.includes('/realms/voxdesk/'), { timeout: 15_000 });
  await page.locator('#username').fill('acme-agent');
  await page.locator('#password').fill('demo');
  await page.locator('#kc-login').click();
  await page.locator('#session').waitFor({ state: 'visible', timeout: 15_000 });
  step('signed in at Keycloak as acme-agent');

  await page.locator('#ticket-contact').waitFor({ state: 'visible', timeout: 15_000 });
  const subject = await page.locator('#ticket-title').textContent();
  if (subject !== 'Cliente sem sinal') throw new Error(`the demo ticket's subject is "${subject}", not the API's`);
  step(`the ticket from the API: ${subject}, contact ${await page.locator('#contact-name').textContent()}`);

  await attribute('data-state', 'registered', 30_000);
  step('the phone in the page registered on the demo Kamailio');

  await page.evaluate(() => {
    document.addEventListener('voxdesk-call-requested', (e) => (window.__demoCall = e.detail.id), { once: true });
    document.addEventListener('voxdesk-call-failed', (e) => (window.__demoCallFailed = JSON.stringify(e.detail)), { once: true });
  });
  const button = page.locator('#contact-phones voxdesk-call-button').first();
  await button.locator('[data-testid="call-button"]').click();
  await page.waitForFunction(() => !!window.__demoCall || !!window.__demoCallFailed, undefined, { timeout: 15_000 });
  const refused = await page.evaluate(() => window.__demoCallFailed);
  if (refused) throw new Error(`the click-to-call was refused: ${refused}`);
  const callId = await page.evaluate(() => window.__demoCall);
  const callRow = (status) => page.waitForFunction(([id, s]) => document.querySelector('voxdesk-ticket-calls')?.shadowRoot
    ?.querySelector(`[data-testid="ticket-call"][data-call-id="${id}"][data-status="${s}"]`), [callId, status], { timeout: 30_000 });
  await attribute('data-call-state', 'established', 30_000);
  const answerClicks = await page.evaluate(() => document.querySelector('voxdesk-phone')?.shadowRoot?.querySelector('[data-testid="incoming-answer"]') ? 1 : 0);
  step(`the phone rang and answered its own click-to-call (answer button shown: ${answerClicks ? 'yes' : 'no'})`);
  await callRow('ANSWERED');
  step(`the customer answered; call ${callId} is live on the ticket (ANSWERED)`);
  fs.mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, 'demo-ringing-call.png') });

  await phone.locator('[data-testid="call-hangup"]').click();
  await callRow('COMPLETED');
  step(`hung up in the phone; the ticket shows call ${callId} COMPLETED`);

  // one language setting: the page's words and the components' follow ?lang=
  const english = new URL(url);
  english.searchParams.set('lang', 'en');
  await page.goto(english.toString());
  await page.locator('#session').waitFor({ state: 'visible', timeout: 15_000 });
  await attribute('data-state', 'registered', 30_000);
  const heading = await page.locator('h1').textContent();
  const status = (await phone.locator('[data-testid="phone-status"]').textContent())?.trim();
  if (heading !== 'Voxdesk · demo CRM' || status !== 'Ready') {
    throw new Error(`with ?lang=en the page says "${heading}" and the phone "${status}"`);
  }
  step(`?lang=en: the page says "${heading}", the phone "${status}"`);
  if (serverErrors.length) throw new Error(`the application answered 5xx: ${serverErrors.join(', ')}`);
  step('passed');
} catch (error) {
  console.error(`demo smoke: FAILED: ${error.message}`);
  process.exitCode = 1;
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
