import fs from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import type { Agent } from './browser';
import { distDir } from './paths';
import { waitUntil } from './wait';

/** The contract of COMPONENTS.md as the tests see it. */
export type PhoneEvent = { type: string; detail: Record<string, unknown> | null; t: number; epoch: number };

export interface PhoneLoad {
  ws: string;
  user: string;
  password: string;
  domain: string;
  name?: string;
  bundle?: 'es' | 'iife';
}

export function requireDist(): void {
  for (const f of ['voxdesk-webphone.js', 'voxdesk-webphone.iife.js']) {
    if (!fs.existsSync(path.join(distDir, f))) {
      throw new Error(`${path.join(distDir, f)} is missing: build the library first (npx vite build, or npm run test:e2e which builds it)`);
    }
  }
}

export function phoneUrl(origin: string, p: PhoneLoad): string {
  const q = new URLSearchParams({
    ws: p.ws,
    uri: `sip:${p.user}@${p.domain}`,
    user: p.user,
    password: p.password,
    realm: p.domain,
    ext: p.user,
    lang: 'en',
    bundle: p.bundle ?? 'es',
  });
  if (p.name) q.set('name', p.name);
  return `${origin}/pages/phone.html?${q}`;
}

/** Loads the host page and waits until it attached the element (or reports why it could not). */
export async function loadPhone(agent: Agent, url: string): Promise<void> {
  await agent.page.goto(url);
  const r = await waitUntil(
    () => agent.page.evaluate(() => {
      const w = window as unknown as { __hostReady?: boolean; __hostError?: string };
      return { ready: !!w.__hostReady, error: w.__hostError ?? null };
    }),
    (s) => s.ready || s.error !== null,
    { timeout: 15_000, message: `${agent.name}: host page attached <voxdesk-phone>` },
  );
  if (r.error) throw new Error(`${agent.name}: ${r.error}`);
}

export function tid(agent: Agent, id: string): Locator {
  return agent.page.getByTestId(id);
}

export async function attr(agent: Agent, name: string): Promise<string | null> {
  return agent.page.evaluate((n) => document.querySelector('voxdesk-phone')?.getAttribute(n) ?? null, name);
}

/** Waits until the <voxdesk-phone> attribute has one of the values. */
export async function expectAttr(agent: Agent, name: string, values: string | string[], timeout = 10_000): Promise<string> {
  const ok = Array.isArray(values) ? values : [values];
  const v = await waitUntil(() => attr(agent, name), (x) => x !== null && ok.includes(x), {
    timeout,
    interval: 20,
    message: `${agent.name}: <voxdesk-phone ${name}> in [${ok.join(', ')}]`,
  });
  return v!;
}

/** Waits until the locator's attribute has the value. */
export async function expectLocatorAttr(agent: Agent, loc: Locator, name: string, value: string, timeout = 10_000): Promise<void> {
  await waitUntil(() => loc.getAttribute(name, { timeout: 1000 }), (x) => x === value, {
    timeout,
    message: `${agent.name}: ${loc} [${name}="${value}"]`,
  });
}

export async function events(agent: Agent, type?: string): Promise<PhoneEvent[]> {
  const all = await agent.page.evaluate(() => (window as unknown as { __events: PhoneEvent[] }).__events);
  return type ? all.filter((e) => e.type === type) : all;
}

/** ms from navigation start to the first `voxdesk-registered` event. */
export async function registeredAfterMs(agent: Agent): Promise<number> {
  const e = (await events(agent, 'voxdesk-registered'))[0];
  if (!e) throw new Error(`${agent.name}: no voxdesk-registered event`);
  return e.t;
}

/**
 * Waits for data-state="registered"; returns ms from navigation start (page load) and from the moment the
 * host page attached the element (library code already loaded) to the first voxdesk-registered event.
 */
export async function waitRegistered(agent: Agent, timeout = 15_000): Promise<{ fromNavigation: number; fromAttach: number }> {
  await expectAttr(agent, 'data-state', 'registered', timeout);
  const fromNavigation = await registeredAfterMs(agent);
  const attachedAt = await agent.page.evaluate(() => (window as unknown as { __attachedAt: number }).__attachedAt);
  return { fromNavigation, fromAttach: fromNavigation - attachedAt };
}

export async function watchVisible(agent: Agent, testid: string): Promise<void> {
  await agent.page.evaluate((id) => (window as unknown as { __watchVisible(i: string): void }).__watchVisible(id), testid);
}

export async function visibleAtEpoch(agent: Agent, testid: string): Promise<number | null> {
  return agent.page.evaluate(
    (id) => (window as unknown as { __visibleAt: Record<string, { epoch: number }> }).__visibleAt[id]?.epoch ?? null,
    testid,
  );
}

export async function lastClickEpoch(agent: Agent, testid: string): Promise<number | null> {
  return agent.page.evaluate((id) => {
    const clicks = (window as unknown as { __clicks: Array<{ testid: string; epoch: number }> }).__clicks.filter((c) => c.testid === id);
    return clicks.length ? clicks[clicks.length - 1]!.epoch : null;
  }, testid);
}
