/**
 * The real backend of the application-level test: the Voxdesk application jar against its own PostgreSQL
 * database, the ARI simulator as its PBX, and Keycloak for tokens. Every process is started here on a free
 * loopback port, tracked for last-resort cleanup, and stopped by its pid (SIGTERM, SIGKILL after a grace period).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { trackPid, untrackPid } from '../../support/cleanup';
import { freePort } from '../../support/ports';
import { waitUntil } from '../../support/wait';
// plain ESM shared with run.mjs
import { appJar, fakeConnectorJar, findJava, keycloakHint, keycloakProblem, keycloakUrl, repoRoot, simulatorClasspath } from './prereqs.mjs';

export { fakeConnectorJar, keycloakUrl };

export interface JavaProcess {
  name: string;
  pid: number;
  port: number;
  logFile: string;
  alive(): boolean;
  /** the last lines of its log, for failure messages */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

/** Starts a JVM with its output in `logFile`; `stop()` sends SIGTERM to its pid, SIGKILL after `graceMs`. */
function startJava(name: string, port: number, args: string[], env: NodeJS.ProcessEnv, logFile: string, graceMs = 15_000): JavaProcess {
  const { java } = findJava();
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn(java, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  } finally {
    fs.closeSync(out);
  }
  trackPid(child.pid);
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  child.once('error', () => { exited = true; });
  return {
    name,
    pid: child.pid ?? -1,
    port,
    logFile,
    alive: () => !exited,
    tail: (lines = 40) => {
      try {
        return fs.readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
    stop: async () => {
      if (!exited && child.pid) {
        try { process.kill(child.pid, 'SIGTERM'); } catch { /* already gone */ }
        const killer = setTimeout(() => { try { process.kill(child.pid!, 'SIGKILL'); } catch { /* gone */ } }, graceMs);
        await exitPromise;
        clearTimeout(killer);
      }
      untrackPid(child.pid);
    },
  };
}

// ---------------------------------------------------------------- ARI simulator

export const SIM_USER = 'voxdesk';
export const SIM_PASSWORD = 'voxdesk-e2e';

export interface SimChannel {
  id: string;
  name: string;
  state: string;
  endpoint: string;
  number?: string;
  bridgeId: string | null;
  variables?: Record<string, string>;
}

export interface Simulator extends JavaProcess {
  url: string;
  admin(method: string, pathAndQuery: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  channels(): Promise<SimChannel[]>;
}

/** The simulator's test API (`/_sim/...`) at `url`: a request, and its status with the body (JSON when it is). */
export function simulatorAdmin(url: string): Simulator['admin'] {
  return async (method, pathAndQuery, body) => {
    const r = await fetch(`${url}${pathAndQuery}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: r.status, body: parsed };
  };
}

/** The ARI simulator as a process, like start_pbx in ./voxdesk, on a free port. */
export async function startSimulator(logFile: string): Promise<Simulator> {
  const { javaHome } = findJava();
  const classpath = process.env.VOXDESK_E2E_ARISIM_CLASSPATH ?? simulatorClasspath(javaHome);
  const port = await freePort();
  const proc = startJava(
    'ari-simulator',
    port,
    ['-cp', classpath, 'io.voxdesk.testing.arisim.AriSimulator', '--port', String(port), '--username', SIM_USER, '--password', SIM_PASSWORD],
    {},
    logFile,
    5_000,
  );
  const url = `http://127.0.0.1:${port}`;
  const admin = simulatorAdmin(url);
  const sim: Simulator = {
    ...proc,
    url,
    admin,
    channels: async () => {
      const r = await admin('GET', '/_sim/channels');
      if (r.status !== 200) throw new Error(`GET /_sim/channels answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body as SimChannel[];
    },
  };
  const basic = Buffer.from(`${SIM_USER}:${SIM_PASSWORD}`).toString('base64');
  try {
    await waitUntil(
      async () => {
        if (!proc.alive()) throw new Error('exited');
        return (await fetch(`${url}/ari/asterisk/info`, { headers: { authorization: `Basic ${basic}` } })).status;
      },
      (s) => s === 200,
      { timeout: 60_000, interval: 200, message: 'ARI simulator answers /ari/asterisk/info' },
    );
    // A build from before POST /_sim/channels/{id}/answer answers "Resource not found" for the route itself.
    const probe = await admin('POST', '/_sim/channels/e2e-probe/answer');
    if (probe.status !== 404 || JSON.stringify(probe.body) !== '{"message":"Channel not found"}') {
      throw new Error(
        `the ARI simulator in ari-simulator/target/classes has no POST /_sim/channels/{id}/answer (got ${probe.status} ${JSON.stringify(probe.body)}): rebuild it with ./mvnw -B -f ari-simulator/pom.xml install`,
      );
    }
  } catch (e) {
    const log = proc.tail();
    await proc.stop();
    throw new Error(`${(e as Error).message}\n--- ari-simulator log ---\n${log}`);
  }
  return sim;
}

// ---------------------------------------------------------------- database and application

export const DB_NAME = process.env.VOXDESK_E2E_DB ?? 'voxdesk_e2e';

function psql(args: string[]): void {
  const user = process.env.VOXDESK_E2E_PGUSER ?? 'postgres';
  const r = spawnSync('psql', ['-X', '-q', '-h', '127.0.0.1', '-U', user, '-d', 'postgres', ...args], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`psql ${args.join(' ')} failed (exit ${r.status ?? r.error?.message}): ${r.stderr}`);
  }
}

/**
 * A fresh database for the run: dropped and created again with db/setup/create-database.sql. Fresh because the
 * application seals each tenant's keys with the master key, and every run uses a new random one.
 */
export function recreateDatabase(): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(DB_NAME)) throw new Error(`unsupported database name ${DB_NAME}`);
  psql(['-c', `DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`]);
  psql(['-v', `dbname=${DB_NAME}`, '-v', 'owner_password=voxdesk-dev', '-v', 'app_password=voxdesk-dev', '-f', path.join(repoRoot, 'db', 'setup', 'create-database.sql')]);
}

/** Throws with what to do when Keycloak (tokens for the API and the demo page's login) is not running. */
export async function requireKeycloak(): Promise<void> {
  const problem = await keycloakProblem();
  if (problem) throw new Error(`Keycloak is not running: ${problem}. ${keycloakHint}, then run the test again.`);
}

/**
 * The origin of the cross-origin test's host CRM page: it must be among the origins Keycloak's voxdesk-web client
 * allows (scripts/keycloak.sh adds VOXDESK_SECURITY_ALLOWEDORIGINS, which ./voxdesk sets), and the application is
 * started with the same list.
 */
export const HOST_ORIGIN =
  process.env.VOXDESK_E2E_HOST_ORIGIN ?? ((process.env.VOXDESK_SECURITY_ALLOWEDORIGINS ?? '').split(',')[0]?.trim() || 'http://127.0.0.1:8090');

export interface App extends JavaProcess {
  url: string;
}

/** What else the application is started with. */
export interface AppOptions {
  /** connector jars added to the application's class path through Spring Boot's `loader.path` */
  connectorJars?: string[];
  /** more `--name=value` arguments */
  args?: string[];
}

/**
 * The application jar on a free port (or VOXDESK_E2E_APP_PORT), ready when /actuator/health/readiness is 200. With
 * connector jars it is started by Spring Boot's PropertiesLauncher, which adds them (`-Dloader.path`) to what the
 * jar holds: the way a deployment adds a connector without rebuilding the application.
 */
export async function startApp(logFile: string, options: AppOptions = {}): Promise<App> {
  for (const jar of [appJar, ...(options.connectorJars ?? [])]) {
    if (!fs.existsSync(jar)) {
      throw new Error(`${jar} is missing: build it first (./mvnw -B -DskipTests package from the repository root)`);
    }
  }
  await requireKeycloak();
  const port = process.env.VOXDESK_E2E_APP_PORT ? Number(process.env.VOXDESK_E2E_APP_PORT) : await freePort();
  // A copy of the jar: a Spring Boot jar loads classes lazily from its file, so a rebuild of app/target while the
  // test runs (someone else's ./mvnw package) would make the running application fail with NoClassDefFoundError.
  const jarDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxdesk-e2e-app-'));
  const jar = path.join(jarDir, 'voxdesk-app.jar');
  fs.copyFileSync(appJar, jar);
  const connectors = (options.connectorJars ?? []).map((connector) => {
    const copy = path.join(jarDir, path.basename(connector));
    fs.copyFileSync(connector, copy);
    return copy;
  });
  const launch = connectors.length
    ? ['-cp', jar, `-Dloader.path=${connectors.join(',')}`, 'org.springframework.boot.loader.launch.PropertiesLauncher']
    : ['-jar', jar];
  const started = startJava(
    'app',
    port,
    // recordings (none are made: recording is off) would otherwise go to the shared ${java.io.tmpdir}/voxdesk-recordings
    [
      ...launch,
      `--server.port=${port}`,
      '--server.address=127.0.0.1',
      `--voxdesk.calls.recordings-dir=${path.join(jarDir, 'recordings')}`,
      ...(options.args ?? []),
    ],
    {
      VOXDESK_DB_URL: `jdbc:postgresql://127.0.0.1:5432/${DB_NAME}`,
      VOXDESK_TENANTS_MASTERKEYS_1: crypto.randomBytes(32).toString('base64'),
      VOXDESK_ISSUER_URI: `${keycloakUrl}/realms/voxdesk`,
      VOXDESK_SECURITY_ALLOWEDORIGINS: process.env.VOXDESK_SECURITY_ALLOWEDORIGINS || HOST_ORIGIN,
      // the ARI simulator listens on loopback, which Voxdesk refuses to call unless its network is allowed
      VOXDESK_CALLS_OUTBOUND_ALLOWEDNETWORKS: '127.0.0.0/8',
    },
    logFile,
  );
  const proc: JavaProcess = {
    ...started,
    stop: async () => {
      try {
        await started.stop();
      } finally {
        fs.rmSync(jarDir, { recursive: true, force: true });
      }
    },
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(
      async () => {
        if (!proc.alive()) throw new Error('the application exited');
        return (await fetch(`${url}/actuator/health/readiness`)).status;
      },
      (s) => s === 200,
      { timeout: Number(process.env.VOXDESK_E2E_APP_START_TIMEOUT ?? 180_000), interval: 250, message: `application ready on ${url}/actuator/health/readiness` },
    );
  } catch (e) {
    const log = proc.tail(60);
    await proc.stop();
    throw new Error(`${(e as Error).message}\n--- application log (${logFile}) ---\n${log}`);
  }
  return { ...proc, url };
}

// ---------------------------------------------------------------- REST API with Keycloak tokens

export const DEMO_PASSWORD = 'demo';

const tokens = new Map<string, { value: string; until: number }>();

/** A Keycloak access token (password grant, client voxdesk-web), reused for up to a minute (they live 5). */
export async function token(username: string): Promise<string> {
  const cached = tokens.get(username);
  if (cached && cached.until > Date.now()) return cached.value;
  const r = await fetch(`${keycloakUrl}/realms/voxdesk/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'voxdesk-web', username, password: DEMO_PASSWORD }),
  });
  const body = (await r.json().catch(() => ({}))) as { access_token?: string; error_description?: string };
  if (!r.ok || !body.access_token) throw new Error(`Keycloak refused a token for ${username}: ${r.status} ${body.error_description ?? ''}`);
  tokens.set(username, { value: body.access_token, until: Date.now() + 60_000 });
  return body.access_token;
}

export interface ApiResult<T = unknown> {
  status: number;
  body: T;
}

/** A REST client for one user. */
export function api(baseUrl: string, username: string) {
  const call = async <T = unknown>(method: string, pathAndQuery: string, body?: unknown): Promise<ApiResult<T>> => {
    const r = await fetch(`${baseUrl}${pathAndQuery}`, {
      method,
      headers: {
        authorization: `Bearer ${await token(username)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: r.status, body: parsed as T };
  };
  /** The same, but anything but the expected status throws with the problem document. */
  const expect = async <T = unknown>(expected: number | number[], method: string, pathAndQuery: string, body?: unknown): Promise<ApiResult<T>> => {
    const r = await call<T>(method, pathAndQuery, body);
    const ok = Array.isArray(expected) ? expected : [expected];
    if (!ok.includes(r.status)) {
      throw new Error(`${username}: ${method} ${pathAndQuery} answered ${r.status} (expected ${ok.join(' or ')}): ${JSON.stringify(r.body)}`);
    }
    return r;
  };
  return { call, expect, username };
}

export type Api = ReturnType<typeof api>;

// ---------------------------------------------------------------- the page's origin in Keycloak

/** The dev realm's admin client (keycloak/voxdesk-realm.json), which may change clients: Voxdesk's own. */
const ADMIN_CLIENT = { id: 'voxdesk-api', secret: process.env.VOXDESK_SERVICEACCOUNTS_ADMINCLIENTSECRET ?? 'voxdesk-api-dev-secret' };

/**
 * Lets a page on `origin` sign in through Keycloak's voxdesk-web client (a redirect URI and a web origin), as an
 * operator allows a host's origin (VOXDESK_SECURITY_ALLOWEDORIGINS); this run's application listens on a free port,
 * which the realm cannot name in advance. Returns the function that puts the client back as it was.
 */
export async function allowOriginInKeycloak(origin: string): Promise<() => Promise<void>> {
  const realm = `${keycloakUrl}/admin/realms/voxdesk`;
  const tokenAnswer = await fetch(`${keycloakUrl}/realms/voxdesk/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ADMIN_CLIENT.id, client_secret: ADMIN_CLIENT.secret }),
  });
  const { access_token: adminToken } = (await tokenAnswer.json()) as { access_token?: string };
  if (!tokenAnswer.ok || !adminToken) throw new Error(`Keycloak refused the admin client ${ADMIN_CLIENT.id}: ${tokenAnswer.status}`);
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const found = (await (await fetch(`${realm}/clients?clientId=voxdesk-web`, { headers })).json()) as Array<{ id: string }>;
  const clientUrl = `${realm}/clients/${found[0]!.id}`;
  const before = (await (await fetch(clientUrl, { headers })).json()) as { redirectUris: string[]; webOrigins: string[] };
  const put = async (client: object) => {
    const r = await fetch(clientUrl, { method: 'PUT', headers, body: JSON.stringify(client) });
    if (r.status !== 204) throw new Error(`Keycloak refused to change voxdesk-web: ${r.status} ${await r.text()}`);
  };
  await put({ ...before, redirectUris: [...before.redirectUris, `${origin}/*`], webOrigins: [...before.webOrigins, origin] });
  return () => put(before);
}
