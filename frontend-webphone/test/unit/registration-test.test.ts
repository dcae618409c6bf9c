import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REGISTRATION_TEST_TIMEOUT_MS, testRegistration } from '../../src/phone/registration-test';
import { ACCOUNT, fakeFactory } from './support/fake-sip';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('extension Test button registration', () => {
  it('reports registered, then stops (and so unregisters) the agent', async () => {
    const factory = fakeFactory();
    const result = testRegistration(ACCOUNT, factory);
    const agent = factory.agents[0]!;
    expect(agent.actions).toEqual(['start']);
    agent.listener.connected();
    agent.listener.registered();
    await expect(result).resolves.toEqual({ outcome: 'registered', cause: '' });
    expect(agent.actions).toEqual(['start', 'stop']);
  });

  it.each([
    ['Authentication Error', 'wrong-password'],
    ['Connection Error', 'unreachable'],
    ['Not Found', 'failed'],
  ])('maps %s to %s', async (cause, outcome) => {
    const factory = fakeFactory();
    const result = testRegistration(ACCOUNT, factory);
    factory.agents[0]!.listener.registrationFailed(cause);
    await expect(result).resolves.toEqual({ outcome, cause });
    expect(factory.agents[0]!.actions).toContain('stop');
  });

  it('says unreachable when the WebSocket closes before registering', async () => {
    const factory = fakeFactory();
    const result = testRegistration(ACCOUNT, factory);
    factory.agents[0]!.listener.disconnected();
    await expect(result).resolves.toMatchObject({ outcome: 'unreachable' });
  });

  it('gives up after the timeout', async () => {
    const factory = fakeFactory();
    const result = testRegistration(ACCOUNT, factory);
    factory.agents[0]!.listener.connected();
    vi.advanceTimersByTime(REGISTRATION_TEST_TIMEOUT_MS);
    await expect(result).resolves.toEqual({ outcome: 'unreachable', cause: 'Request Timeout' });
  });

  it('keeps the first outcome', async () => {
    const factory = fakeFactory();
    const result = testRegistration(ACCOUNT, factory);
    const agent = factory.agents[0]!;
    agent.listener.registered();
    agent.listener.disconnected();
    await expect(result).resolves.toMatchObject({ outcome: 'registered' });
    expect(agent.actions.filter((action) => action === 'stop')).toHaveLength(1);
  });

  it('reports settings the SIP library refuses as failed', async () => {
    const result = await testRegistration(ACCOUNT, () => {
      throw new TypeError('Invalid argument: https://pbx');
    });
    expect(result).toEqual({ outcome: 'failed', cause: 'Invalid argument: https://pbx' });
  });
});
