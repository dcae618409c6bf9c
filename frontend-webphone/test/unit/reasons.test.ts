import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en';
import {
  DISCONNECTED_BEFORE_REGISTERING,
  endCause,
  microphoneProblem,
  registrationFailure,
  settingsProblem,
  testOutcome,
} from '../../src/phone/reasons';

describe('registration failure → plain words', () => {
  it.each([
    ['Authentication Error', 'wrong-password', 'reason.wrongPassword', 'wrong-password'],
    ['Rejected', 'wrong-password', 'reason.wrongPassword', 'wrong-password'],
    ['Connection Error', 'server-unreachable', 'reason.unreachable', 'unreachable'],
    [DISCONNECTED_BEFORE_REGISTERING, 'server-unreachable', 'reason.unreachable', 'unreachable'],
    ['Request Timeout', 'server-unreachable', 'reason.timeout', 'unreachable'],
    ['Not Found', 'registration-failed', 'reason.notFound', 'failed'],
    ['SIP Failure Code', 'registration-failed', 'reason.failed', 'failed'],
    ['Internal Error', 'registration-failed', 'reason.failed', 'failed'],
    [undefined, 'registration-failed', 'reason.failed', 'failed'],
  ])('%s → %s', (cause, problem, messageKey, outcome) => {
    const failure = registrationFailure(cause);
    expect(failure.problem).toBe(problem);
    expect(failure.messageKey).toBe(messageKey);
    expect(failure.cause).toBe(cause ?? '');
    expect(testOutcome(failure)).toBe(outcome);
    expect(en[failure.messageKey]).toMatch(/\w/);
  });

  it('says "password" for an authentication error, in words a user understands', () => {
    expect(en[registrationFailure('Authentication Error').messageKey]).toMatch(/password/);
  });
});

describe('microphone errors', () => {
  it.each([
    ['NotAllowedError', 'microphone-denied'],
    ['SecurityError', 'microphone-denied'],
    ['NotFoundError', 'microphone-missing'],
    ['OverconstrainedError', 'microphone-missing'],
    ['NotReadableError', 'microphone-busy'],
  ])('%s → %s', (name, problem) => {
    expect(microphoneProblem(new DOMException('x', name))).toBe(problem);
  });

  it('treats a plain error (JsSIP "User Denied Media Access") as denied', () => {
    expect(microphoneProblem(new Error('User Denied Media Access'))).toBe('microphone-denied');
    expect(microphoneProblem(undefined)).toBe('microphone-denied');
  });
});

describe('call end causes', () => {
  it.each([
    ['Terminated', 'hangup'],
    ['Busy', 'busy'],
    ['Rejected', 'rejected'],
    ['No Answer', 'no-answer'],
    ['Unavailable', 'unavailable'],
    ['Not Found', 'not-found'],
    ['Canceled', 'canceled'],
    ['Connection Error', 'connection-lost'],
    ['Request Timeout', 'connection-lost'],
    ['User Denied Media Access', 'microphone'],
    ['WebRTC Error', 'failed'],
    ['something new', 'failed'],
  ])('%s → %s', (cause, key) => {
    expect(endCause(cause)).toBe(key);
    expect(en).toHaveProperty(`cause.${key}`);
  });
});

describe('webphone settings answer → the true reason', () => {
  it.each([
    [409, 'urn:voxdesk:problem:no-sip-password', 'no-sip-password'],
    [409, 'urn:voxdesk:problem:extension-inactive', 'extension-inactive'],
    [409, 'urn:voxdesk:problem:no-sip-server', 'no-sip-server'],
    [404, 'urn:voxdesk:problem:no-extension', 'no-extension'],
    [404, undefined, 'no-extension'],
    [401, undefined, 'signed-out'],
    [403, undefined, 'forbidden'],
    [429, undefined, 'rate-limited'],
    [502, undefined, 'voxdesk-unavailable'],
    [503, undefined, 'voxdesk-unavailable'],
    [504, undefined, 'voxdesk-unavailable'],
    [500, undefined, 'voxdesk-error'],
    [409, 'about:blank', 'voxdesk-error'],
    [0, undefined, 'voxdesk-unreachable'],
  ] as const)('%i %s → %s, with words in each language', (status, type, problem) => {
    expect(settingsProblem(status, type)).toBe(problem);
    expect(en[`problem.${problem}`]).toBeTruthy();
  });
});
