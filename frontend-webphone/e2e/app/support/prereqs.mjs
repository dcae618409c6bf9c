// What the application-level e2e test needs from the machine and the repository, shared by e2e/app/run.mjs
// (checks before vitest starts) and e2e/app/support/backend.ts (which starts the processes).
// Plain ESM so that run.mjs can use it without a TypeScript step.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** frontend-webphone/ */
export const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** the repository root (pom.xml, mvnw, app/, ari-simulator/, db/) */
export const repoRoot = path.resolve(projectDir, '..');
export const appJar = path.resolve(process.env.VOXDESK_E2E_APP_JAR ?? path.join(repoRoot, 'app', 'target', 'voxdesk-app.jar'));
export const simulatorClasses = path.join(repoRoot, 'ari-simulator', 'target', 'classes');
/**
 * The test-only Fake PBX connector (fake-connector/), built against the calls SPI alone: the application is started
 * with it added through Spring Boot's loader.path, as an operator adds a connector jar to a deployment.
 */
export const fakeConnectorJar = path.resolve(
  process.env.VOXDESK_E2E_FAKE_CONNECTOR_JAR ?? path.join(repoRoot, 'fake-connector', 'target', 'voxdesk-fake-connector-0.1.0-SNAPSHOT.jar'),
);
export const keycloakUrl = (process.env.VOXDESK_E2E_KEYCLOAK ?? 'http://127.0.0.1:8180').replace(/\/+$/, '');
export const keycloakHint = 'Start it with scripts/keycloak.sh start (from the repository root)';

function javaMajor(java) {
  const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const m = `${r.stderr ?? ''}${r.stdout ?? ''}`.match(/version "(\d+)/);
  return r.status === 0 && m ? Number(m[1]) : 0;
}

/**
 * A JDK >= 21 like ./voxdesk picks one: VOXDESK_E2E_JAVA, JAVA_HOME, then the newest under /usr/lib/jvm.
 * Returns { java, javaHome, major } or throws with what to install.
 */
export function findJava() {
  if (process.env.VOXDESK_E2E_JAVA) {
    const java = process.env.VOXDESK_E2E_JAVA;
    return { java, javaHome: path.resolve(path.dirname(java), '..'), major: javaMajor(java) };
  }
  const homes = [];
  if (process.env.JAVA_HOME) homes.push(process.env.JAVA_HOME);
  try {
    for (const d of fs.readdirSync('/usr/lib/jvm')) homes.push(path.join('/usr/lib/jvm', d));
  } catch {
    /* no /usr/lib/jvm */
  }
  let best = null;
  for (const home of homes) {
    const java = path.join(home, 'bin', 'java');
    if (!fs.existsSync(java) || !fs.existsSync(path.join(home, 'bin', 'javac'))) continue;
    const major = javaMajor(java);
    if (major >= 21 && (!best || major > best.major || home === process.env.JAVA_HOME)) best = { java, javaHome: home, major };
    if (best && home === process.env.JAVA_HOME) break;
  }
  if (!best) throw new Error('no JDK 21 or newer found (JAVA_HOME or /usr/lib/jvm): install one, e.g. apt-get install openjdk-21-jdk-headless');
  return best;
}

function mvn(javaHome, args) {
  return spawnSync(path.join(repoRoot, 'mvnw'), ['-B', '-q', '-f', path.join(repoRoot, 'ari-simulator', 'pom.xml'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, JAVA_HOME: javaHome },
    encoding: 'utf8',
  });
}

/**
 * The ARI simulator's runtime class path (its dependencies' jars, from Maven like start_pbx in ./voxdesk), cached
 * in ari-simulator/target/e2e-runtime.classpath until a pom changes. Compiles the simulator when its classes are
 * missing. Only ever runs Maven on the ari-simulator module, never the whole reactor.
 */
export function simulatorClasspath(javaHome) {
  const file = path.join(repoRoot, 'ari-simulator', 'target', 'e2e-runtime.classpath');
  if (!fs.existsSync(path.join(simulatorClasses, 'io', 'voxdesk', 'testing', 'arisim', 'AriSimulator.class'))) {
    const built = mvn(javaHome, ['-o', '-DskipTests', 'compile']);
    if (built.status !== 0) {
      const online = mvn(javaHome, ['-DskipTests', 'compile']);
      if (online.status !== 0) throw new Error(`could not compile the ARI simulator:\n${online.stdout}${online.stderr}`);
    }
  }
  const poms = [path.join(repoRoot, 'pom.xml'), path.join(repoRoot, 'ari-simulator', 'pom.xml')];
  const fresh =
    fs.existsSync(file) &&
    poms.every((p) => fs.statSync(p).mtimeMs <= fs.statSync(file).mtimeMs) &&
    fs.readFileSync(file, 'utf8').trim().split(path.delimiter).every((jar) => jar && fs.existsSync(jar));
  if (!fresh) {
    const args = ['dependency:build-classpath', '-Dmdep.includeScope=runtime', `-Dmdep.outputFile=${file}`];
    let r = mvn(javaHome, ['-o', ...args]);
    if (r.status !== 0) r = mvn(javaHome, args);
    if (r.status !== 0 || !fs.existsSync(file)) {
      throw new Error(`could not resolve the ARI simulator's class path with Maven:\n${r.stdout}${r.stderr}`);
    }
  }
  return `${simulatorClasses}${path.delimiter}${fs.readFileSync(file, 'utf8').trim()}`;
}

/** Resolves to null when Keycloak's voxdesk realm answers, else to the reason. */
export async function keycloakProblem() {
  const url = `${keycloakUrl}/realms/voxdesk/.well-known/openid-configuration`;
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return r.ok ? null : `${url} answered ${r.status}`;
  } catch (e) {
    const cause = e.cause?.code ?? e.cause?.errors?.[0]?.code ?? e.cause?.message ?? e.message;
    return `${url} is not reachable (${cause})`;
  }
}
