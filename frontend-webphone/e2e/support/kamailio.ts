import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { e2eDir } from './paths';
import { freePort, waitForPort } from './ports';
import { trackPid, untrackPid } from './cleanup';

export interface SipUser {
  user: string;
  password: string;
  displayName?: string;
}

export interface KamailioOptions {
  users: SipUser[];
  domain?: string;
  port?: number;
  /** add `X-Voxdesk-Call-Id: e2e-<Call-ID>` to new INVITEs, as the PBX does for Voxdesk calls (default true) */
  tagCalls?: boolean;
}

export interface Kamailio {
  port: number;
  domain: string;
  wsUrl: string;
  dir: string;
  pid: number;
  /** Kamailio's stderr so far (useful in a failure message). */
  log(): string;
  stop(): Promise<void>;
}

const KAMAILIO_BIN = ['/usr/sbin/kamailio', '/usr/bin/kamailio'].find((p) => fs.existsSync(p)) ?? 'kamailio';
const MPATH_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/kamailio/modules/',
  '/usr/lib/aarch64-linux-gnu/kamailio/modules/',
  '/usr/lib/kamailio/modules/',
  '/usr/lib64/kamailio/modules/',
];

const SAFE = /^[A-Za-z0-9._~!@%^*+=-]{1,64}$/;

/** Renders e2e/kamailio/kamailio.cfg.tmpl for one run. */
export function renderConfig(opts: { port: number; domain: string; users: SipUser[]; tagCalls?: boolean }): string {
  const tmpl = fs.readFileSync(path.join(e2eDir, 'kamailio', 'kamailio.cfg.tmpl'), 'utf8');
  const mpath = MPATH_CANDIDATES.find((p) => fs.existsSync(path.join(p, 'websocket.so')));
  if (!mpath) throw new Error('Kamailio modules not found: install the Debian packages kamailio and kamailio-websocket-modules');
  for (const u of opts.users) {
    if (!/^[A-Za-z0-9._-]{1,40}$/.test(u.user)) throw new Error(`unsupported SIP user name ${u.user}`);
    if (!SAFE.test(u.password)) throw new Error(`password for ${u.user} must match ${SAFE}`);
  }
  const passwords = opts.users
    .map((u, i) => `\t${i ? '} else ' : ''}if ($au == "${u.user}") {\n\t\t$var(pw) = "${u.password}";`)
    .join('\n') + (opts.users.length ? '\n\t}' : '');
  return tmpl
    .replaceAll('{{PORT}}', String(opts.port))
    .replaceAll('{{DOMAIN}}', opts.domain)
    .replaceAll('{{MPATH}}', mpath)
    .replaceAll('{{PASSWORDS}}', passwords)
    .replaceAll('{{DEFINES}}', opts.tagCalls === false ? '' : '#!define TAG_CALLS');
}

/** Starts a private Kamailio (own temp dir, free port) and resolves once it accepts connections. */
export async function startKamailio(opts: KamailioOptions): Promise<Kamailio> {
  const domain = opts.domain ?? 'voxdesk.test';
  const port = opts.port ?? (await freePort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxdesk-kamailio-'));
  const cfg = path.join(dir, 'kamailio.cfg');
  const pidFile = path.join(dir, 'kamailio.pid');
  fs.writeFileSync(cfg, renderConfig({ port, domain, users: opts.users, tagCalls: opts.tagCalls }));

  let stderr = '';
  const child: ChildProcess = spawn(KAMAILIO_BIN, ['-f', cfg, '-DD', '-E', '-Y', dir, '-P', pidFile], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onData = (b: Buffer) => {
    stderr += b.toString();
    if (stderr.length > 2_000_000) stderr = stderr.slice(-1_000_000);
  };
  trackPid(child.pid);
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  child.once('error', (e) => { stderr += `\nspawn error: ${e.message}`; exited = true; });

  const stop = async () => {
    if (!exited && child.pid) {
      try { process.kill(child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const killer = setTimeout(() => { try { process.kill(child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await exitPromise;
      clearTimeout(killer);
    }
    untrackPid(child.pid);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitForPort(port, 10_000, () => !exited);
  } catch (e) {
    await stop();
    throw new Error(`Kamailio did not start: ${(e as Error).message}\n--- kamailio log ---\n${stderr.slice(-4000)}`);
  }
  return {
    port,
    domain,
    wsUrl: `ws://127.0.0.1:${port}`,
    dir,
    pid: child.pid!,
    log: () => stderr,
    stop,
  };
}
