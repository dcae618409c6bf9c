import { DISCONNECTED_BEFORE_REGISTERING, SIP_CAUSES, registrationFailure, testOutcome, type ExtensionTestOutcome } from './reasons';
import type { SipAccount, SipAgent, SipAgentFactory } from './sip';

/** Result of a registration test: the outcome and, when it failed, the raw cause. */
export interface RegistrationTestResult {
  outcome: ExtensionTestOutcome;
  cause: string;
}

/** How long a test may take before it counts as failed. */
export const REGISTRATION_TEST_TIMEOUT_MS = 10_000;

/**
 * Registers once with `account` through a separate user agent, then stops it (which unregisters it), and
 * reports whether the server took the credentials. Never rejects.
 */
export function testRegistration(
  account: SipAccount,
  factory: SipAgentFactory,
  timeoutMs = REGISTRATION_TEST_TIMEOUT_MS,
): Promise<RegistrationTestResult> {
  return new Promise((resolve) => {
    let agent: SipAgent | null = null;
    let settled = false;
    let connected = false;
    const finish = (result: RegistrationTestResult) => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      try {
        agent?.stop();
      } catch {
        // The agent is being discarded anyway.
      }
      resolve(result);
    };
    const failed = (cause: string) => finish({ outcome: testOutcome(registrationFailure(cause)), cause });
    const timer = setTimeout(
      () => (connected ? failed(SIP_CAUSES.REQUEST_TIMEOUT) : failed(DISCONNECTED_BEFORE_REGISTERING)),
      timeoutMs,
    );
    try {
      agent = factory(account, {
        connected: () => (connected = true),
        disconnected: () => failed(DISCONNECTED_BEFORE_REGISTERING),
        registered: () => finish({ outcome: 'registered', cause: '' }),
        unregistered: () => undefined,
        registrationFailed: (cause) => failed(cause),
        incoming: (call) => call.reject(true),
      });
      agent.start();
    } catch (error) {
      finish({ outcome: 'failed', cause: error instanceof Error ? error.message : String(error) });
    }
  });
}
