/**
 * Last-resort cleanup: if the test worker dies (crash, Ctrl-C) before afterAll ran, kill the processes this
 * worker started, by their pids. Normal teardown goes through each helper's stop()/close().
 */
const live = new Set<number>();
let installed = false;

function killAll(): void {
  for (const pid of live) {
    // SIGTERM, not SIGKILL: Kamailio stops its worker processes only when it is asked to; killed outright, it would
    // leave them running, holding its port.
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  live.clear();
}

export function trackPid(pid: number | undefined): void {
  if (!pid) return;
  live.add(pid);
  if (!installed) {
    installed = true;
    process.once('exit', killAll);
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.once(sig, () => { killAll(); process.exit(130); });
    }
  }
}

export function untrackPid(pid: number | undefined): void {
  if (pid) live.delete(pid);
}
