#!/usr/bin/env node
// Entry point of `npm run test:e2e`: checks the system dependencies, builds the library when dist/ is
// missing, then runs the real-browser tests (vitest.e2e.config.ts) and exits with vitest's code.
// Extra arguments go to vitest, e.g. `npm run test:e2e -- e2e/rig.e2e.ts -t "wrong password"`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(projectDir, 'node_modules', '.bin', name);

function fail(message) {
  console.error(`\ntest:e2e: ${message}\n`);
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

// 1. system dependencies (no browser or SIP server is ever downloaded)
if (!fs.existsSync('/usr/bin/chromium')) {
  fail('/usr/bin/chromium not found. Install the Debian package: sudo apt-get install chromium');
}
const kamailio = onPath('kamailio');
if (!kamailio) {
  fail('kamailio not found. Install the Debian packages: sudo apt-get install kamailio kamailio-websocket-modules');
}
const modules = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/lib64'].map((d) =>
  path.join(d, 'kamailio', 'modules', 'websocket.so'),
);
if (!modules.some((m) => fs.existsSync(m))) {
  fail('the Kamailio websocket module is missing. Install the Debian package: sudo apt-get install kamailio-websocket-modules');
}
if (!fs.existsSync(path.join(projectDir, 'node_modules', 'playwright-core'))) {
  fail('node_modules is missing: run npm ci in frontend-webphone/');
}

// 2. the library build the tests load (VOXDESK_E2E_DIST: another build dir, see e2e/README.md)
const distDir = path.resolve(projectDir, process.env.VOXDESK_E2E_DIST ?? 'dist');
const dist = ['voxdesk-webphone.js', 'voxdesk-webphone.iife.js'].map((f) => path.join(distDir, f));
if (!dist.every((f) => fs.existsSync(f))) {
  console.log(`test:e2e: ${path.relative(projectDir, distDir) || distDir} has no build, building the library (vite build)`);
  const args = ['build', ...(process.env.VOXDESK_E2E_DIST ? ['--outDir', distDir, '--emptyOutDir'] : [])];
  const built = spawnSync(bin('vite'), args, { cwd: projectDir, stdio: 'inherit' });
  if (built.status !== 0) fail(`vite build failed (exit ${built.status ?? built.signal})`);
  if (!dist.every((f) => fs.existsSync(f))) fail(`vite build did not produce ${dist.join(' and ')}`);
}

// 3. the tests
const started = Date.now();
const result = spawnSync(bin('vitest'), ['run', '--config', 'vitest.e2e.config.ts', ...process.argv.slice(2)], {
  cwd: projectDir,
  stdio: 'inherit',
});
console.log(`test:e2e: finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(result.status ?? 1);
