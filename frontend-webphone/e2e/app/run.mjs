#!/usr/bin/env node
// Entry point of `npm run test:e2e:app`: checks what the application-level test needs (Chromium, Kamailio, a JDK,
// PostgreSQL's psql, the application jar, the ARI simulator, a running Keycloak), builds the webphone when dist/
// is missing, then runs vitest with vitest.app.config.ts and exits with its code. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { appJar, fakeConnectorJar, findJava, keycloakHint, keycloakProblem, projectDir, simulatorClasspath } from './support/prereqs.mjs';

const bin = (name) => path.join(projectDir, 'node_modules', '.bin', name);

function fail(message) {
  console.error(`\ntest:e2e:app: ${message}\n`);
  process.exit(2);
}

function onPath(cmd) {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/sbin', '/sbin', '/usr/bin']);
  return dirs.map((d) => path.join(d, cmd)).find((p) => {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const started = Date.now();

// 1. system packages (nothing is ever downloaded by the test)
if (!fs.existsSync('/usr/bin/chromium')) fail('/usr/bin/chromium not found. Install the Debian package: sudo apt-get install chromium');
if (!onPath('kamailio')) fail('kamailio not found. Install the Debian packages: sudo apt-get install kamailio kamailio-websocket-modules');
const wsModule = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/lib64'].some((d) =>
  fs.existsSync(path.join(d, 'kamailio', 'modules', 'websocket.so')),
);
if (!wsModule) fail('the Kamailio websocket module is missing. Install the Debian package: sudo apt-get install kamailio-websocket-modules');
if (!onPath('psql')) fail('psql not found. Install the Debian package: sudo apt-get install postgresql-client');
if (!fs.existsSync(path.join(projectDir, 'node_modules', 'playwright-core'))) fail('node_modules is missing: run npm ci in frontend-webphone/');

// 2. the backend pieces
let java;
try {
  java = findJava();
} catch (e) {
  fail(e.message);
}
if (!fs.existsSync(appJar)) {
  fail(`${appJar} is missing: build the application first (./mvnw -B -DskipTests package in the repository root)`);
}
if (!fs.existsSync(fakeConnectorJar)) {
  fail(`${fakeConnectorJar} is missing: build it first (./mvnw -B -DskipTests package in the repository root)`);
}
if (!process.env.VOXDESK_E2E_ARISIM_CLASSPATH) {
  try {
    // resolved once here (Maven, ari-simulator module only) and handed to the test
    process.env.VOXDESK_E2E_ARISIM_CLASSPATH = simulatorClasspath(java.javaHome);
  } catch (e) {
    fail(e.message);
  }
}
const pg = spawnSync('psql', ['-X', '-q', '-h', '127.0.0.1', '-U', process.env.VOXDESK_E2E_PGUSER ?? 'postgres', '-d', 'postgres', '-c', 'select 1'], {
  encoding: 'utf8',
});
if (pg.status !== 0) {
  fail(`PostgreSQL on 127.0.0.1:5432 refused psql as ${process.env.VOXDESK_E2E_PGUSER ?? 'postgres'}: ${pg.stderr.trim()} (./voxdesk test starts it)`);
}
const keycloak = await keycloakProblem();
if (keycloak) fail(`Keycloak is not running: ${keycloak}. ${keycloakHint}, then run the test again.`);

// 3. the library build the demo page loads (when the application does not serve its own copy yet)
const dist = ['voxdesk-webphone.js', 'voxdesk-webphone.iife.js'].map((f) => path.join(projectDir, 'dist', f));
if (!dist.every((f) => fs.existsSync(f))) {
  console.log('test:e2e:app: dist/ has no build, building the library (vite build)');
  const built = spawnSync(bin('vite'), ['build'], { cwd: projectDir, stdio: 'inherit' });
  if (built.status !== 0) fail(`vite build failed (exit ${built.status ?? built.signal})`);
}

// 4. the test
const result = spawnSync(bin('vitest'), ['run', '--config', 'vitest.app.config.ts', ...process.argv.slice(2)], {
  cwd: projectDir,
  stdio: 'inherit',
  env: { ...process.env, VOXDESK_E2E_JAVA: java.java },
});
console.log(`test:e2e:app: finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(result.status ?? 1);
