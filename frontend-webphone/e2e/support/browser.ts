import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Why each flag is there: see e2e/README.md ("Chromium flags").
 */
export const CHROMIUM_ARGS = [
  '--allow-loopback-in-peer-connection',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface Agent {
  name: string;
  context: BrowserContext;
  page: Page;
  /** browser console lines and page errors, for failure messages */
  console: string[];
  close(): Promise<void>;
}

export interface AgentOptions {
  width?: number;
  height?: number;
  extraArgs?: string[];
  /** grant the microphone (default true) */
  microphone?: boolean;
}

/** One Chromium process per agent: a persistent context in a fresh temp profile. */
export async function launchAgent(name: string, opts: AgentOptions = {}): Promise<Agent> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `voxdesk-chromium-${name}-`));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(opts.extraArgs ?? [])],
      viewport: { width: opts.width ?? 420, height: opts.height ?? 760 },
      timeout: 30_000,
    });
  } catch (e) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  if (opts.microphone !== false) await context.grantPermissions(['microphone']);
  const page = context.pages()[0] ?? (await context.newPage());
  const lines: string[] = [];
  const push = (l: string) => {
    lines.push(l);
    if (lines.length > 500) lines.shift();
  };
  page.on('console', (m) => push(`[${name} ${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => push(`[${name} pageerror] ${e.message}`));
  let closed = false;
  return {
    name,
    context,
    page,
    console: lines,
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        fs.rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}

/** Closes every agent, even if some close() fails; rethrows the first error. */
export async function closeAll(agents: Array<Agent | undefined>): Promise<void> {
  const results = await Promise.allSettled(agents.filter((a): a is Agent => !!a).map((a) => a.close()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
