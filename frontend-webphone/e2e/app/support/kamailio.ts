import { startKamailio, type Kamailio, type KamailioOptions } from '../../support/kamailio';

/**
 * Starts Kamailio again on the port of `stopped` (already stopped by the caller), with the same options (users,
 * domain, call tagging), so that user agents configured with its WebSocket URL can reconnect by themselves.
 * A freshly closed listening port may be briefly unavailable; the start is retried until `timeoutMs`.
 * Kamailio keeps its location table in memory, so every user agent has to register again after this.
 */
export async function startKamailioAgain(stopped: Kamailio, opts: KamailioOptions, timeoutMs = 15_000): Promise<Kamailio> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await startKamailio({ ...opts, domain: stopped.domain, port: stopped.port });
    } catch (e) {
      if (Date.now() >= deadline) {
        throw new Error(`Kamailio did not start again on port ${stopped.port} within ${timeoutMs} ms: ${(e as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 200)); // poll interval of a condition wait (the port being free)
    }
  }
}
