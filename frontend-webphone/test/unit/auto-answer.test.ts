import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/api/types';
import { API4COM_WINDOW_MS, PendingCalls, type HeaderReader } from '../../src/phone/auto-answer';

function record(id: string, patch: Partial<CallRecord> = {}): CallRecord {
  return { id, status: 'RINGING', number: '+554833328530', agentAnsweredAt: null, agentExtension: '1001', ...patch };
}

function headers(values: Record<string, string>): HeaderReader {
  const lower = Object.fromEntries(Object.entries(values).map(([name, value]) => [name.toLowerCase(), value]));
  return (name) => lower[name.toLowerCase()];
}

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('auto-answer on X-Voxdesk-Call-Id (Asterisk)', () => {
  it('answers the agent leg of a click-to-call this page requested', () => {
    const pending = new PendingCalls();
    pending.requested(record('c-1'));
    expect(pending.decide(headers({ 'X-Voxdesk-Call-Id': 'c-1' }))).toEqual({ autoAnswer: true, callId: 'c-1', rule: 'voxdesk-call-id' });
  });

  it('answers the agent leg of a click-to-call seen ringing on the live feed', () => {
    const pending = new PendingCalls();
    pending.fromFeed(record('c-2'));
    expect(pending.decide(headers({ 'x-voxdesk-call-id': 'c-2' })).autoAnswer).toBe(true);
  });

  it('does not answer when the header names a call that is not ours', () => {
    const pending = new PendingCalls();
    pending.requested(record('c-1'));
    const decision = pending.decide(headers({ 'X-Voxdesk-Call-Id': 'someone-elses-call' }));
    expect(decision.autoAnswer).toBe(false);
    expect(decision.callId).toBe('someone-elses-call');
  });

  it('does not answer when nothing is pending, even with a header', () => {
    expect(new PendingCalls().decide(headers({ 'X-Voxdesk-Call-Id': 'c-1' })).autoAnswer).toBe(false);
  });

  it('never answers on the caller number alone', () => {
    const pending = new PendingCalls();
    pending.requested(record('c-1', { number: '+554833328530' }));
    expect(pending.decide(headers({ From: '<sip:+554833328530@pbx>' })).autoAnswer).toBe(false);
    expect(pending.decide(headers({})).autoAnswer).toBe(false);
  });

  it('answers a call id only once', () => {
    const pending = new PendingCalls();
    pending.requested(record('c-1'));
    pending.markAnswered('c-1');
    expect(pending.decide(headers({ 'X-Voxdesk-Call-Id': 'c-1' })).autoAnswer).toBe(false);
  });

  it('does not answer a call whose agent leg the feed says was answered', () => {
    const pending = new PendingCalls();
    pending.requested(record('c-1'));
    pending.fromFeed(record('c-1', { agentAnsweredAt: '2026-11-22T10:00:03Z' }));
    expect(pending.decide(headers({ 'X-Voxdesk-Call-Id': 'c-1' })).autoAnswer).toBe(false);
  });

  it('ignores feed records that already left RINGING or ended', () => {
    const pending = new PendingCalls();
    pending.fromFeed(record('a', { status: 'ANSWERED' }));
    pending.fromFeed(record('b', { status: 'COMPLETED' }));
    pending.requested(record('c'));
    pending.fromFeed(record('c', { status: 'CANCELLED' }));
    for (const id of ['a', 'b', 'c']) {
      expect(pending.decide(headers({ 'X-Voxdesk-Call-Id': id })).autoAnswer).toBe(false);
    }
  });

  it("does not answer a call whose agent is another extension", () => {
    const pending = new PendingCalls(Date.now, '1001');
    pending.fromFeed(record('c-1', { agentExtension: '1002' }));
    expect(pending.decide(headers({ 'X-Voxdesk-Call-Id': 'c-1' })).autoAnswer).toBe(false);
  });

  it('never answers an inbound call by itself, even one routed to this agent', () => {
    const pending = new PendingCalls(Date.now, '1001');
    pending.fromFeed(record('c-in', { direction: 'inbound', number: '+5548999990000' }));
    pending.requested(record('c-in2', { direction: 'inbound' }));
    expect(pending.decide(headers({ 'X-Voxdesk-Call-Id': 'c-in' })).autoAnswer).toBe(false);
    expect(pending.decide(headers({ 'X-Voxdesk-Call-Id': 'c-in2' })).autoAnswer).toBe(false);
  });
});

describe('auto-answer on X-Api4comintegratedcall (API4COM)', () => {
  it('answers when a click-to-call younger than 60 s has an unanswered agent leg', () => {
    const time = clock();
    const pending = new PendingCalls(time.now);
    pending.requested(record('c-1'));
    time.advance(API4COM_WINDOW_MS - 1);
    expect(pending.decide(headers({ 'X-Api4comintegratedcall': 'true' }))).toEqual({ autoAnswer: true, callId: 'c-1', rule: 'api4com' });
  });

  it('does not answer when the click-to-call is older than 60 s', () => {
    const time = clock();
    const pending = new PendingCalls(time.now);
    pending.requested(record('c-1'));
    time.advance(API4COM_WINDOW_MS + 1);
    expect(pending.decide(headers({ 'X-Api4comintegratedcall': 'true' })).autoAnswer).toBe(false);
  });

  it('does not answer at exactly 60 s', () => {
    const time = clock();
    const pending = new PendingCalls(time.now);
    pending.requested(record('c-1'));
    time.advance(API4COM_WINDOW_MS);
    expect(pending.decide(headers({ 'X-Api4comintegratedcall': 'true' })).autoAnswer).toBe(false);
  });

  it('does not answer without any click-to-call', () => {
    expect(new PendingCalls().decide(headers({ 'X-Api4comintegratedcall': 'true' })).autoAnswer).toBe(false);
  });

  it('does not answer when the header is not "true"', () => {
    const pending = new PendingCalls();
    pending.requested(record('c-1'));
    expect(pending.decide(headers({ 'X-Api4comintegratedcall': 'false' })).autoAnswer).toBe(false);
  });

  it('accepts "TRUE" in any case', () => {
    const pending = new PendingCalls();
    pending.requested(record('c-1'));
    expect(pending.decide(headers({ 'X-Api4comintegratedcall': ' TRUE ' })).autoAnswer).toBe(true);
  });

  it('does not answer when the agent leg was already answered', () => {
    const pending = new PendingCalls();
    pending.requested(record('c-1'));
    pending.markAnswered('c-1');
    expect(pending.decide(headers({ 'X-Api4comintegratedcall': 'true' })).autoAnswer).toBe(false);
  });

  it('picks the newest pending click-to-call', () => {
    const time = clock();
    const pending = new PendingCalls(time.now);
    pending.requested(record('older'));
    time.advance(5_000);
    pending.requested(record('newer'));
    expect(pending.decide(headers({ 'X-Api4comintegratedcall': 'true' })).callId).toBe('newer');
  });

  it('measures age from when this page learnt of the call, not from the server clock', () => {
    const time = clock();
    const pending = new PendingCalls(time.now);
    pending.requested(record('c-1', { requestedAt: '2001-01-01T00:00:00Z' }));
    expect(pending.decide(headers({ 'X-Api4comintegratedcall': 'true' })).autoAnswer).toBe(true);
  });

  it('keeps the first sighting when the feed repeats the record', () => {
    const time = clock();
    const pending = new PendingCalls(time.now);
    pending.requested(record('c-1'));
    time.advance(50_000);
    pending.fromFeed(record('c-1'));
    time.advance(20_000);
    expect(pending.decide(headers({ 'X-Api4comintegratedcall': 'true' })).autoAnswer).toBe(false);
  });
});
