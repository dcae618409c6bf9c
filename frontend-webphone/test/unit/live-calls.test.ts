import { describe, expect, it } from 'vitest';
import { stompUrl } from '../../src/realtime/live-calls';
import { mergeCall } from '../../src/components/voxdesk-ticket-calls';
import type { CallRecord } from '../../src/api/types';

describe('stompUrl', () => {
  it('maps http to ws and https to wss, appending /ws', () => {
    expect(stompUrl('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/ws');
    expect(stompUrl('https://crm.example.com/voxdesk/')).toBe('wss://crm.example.com/voxdesk/ws');
  });
});

describe('mergeCall', () => {
  const call = (id: string, requestedAt: string, status = 'RINGING'): CallRecord => ({ id, requestedAt, status, number: '1' });

  it('replaces a known call by id and keeps newest first', () => {
    const list = [call('b', '2026-01-02T00:00:00Z'), call('a', '2026-01-01T00:00:00Z')];
    const merged = mergeCall(list, call('a', '2026-01-01T00:00:00Z', 'COMPLETED'));
    expect(merged.map((c) => [c.id, c.status])).toEqual([
      ['b', 'RINGING'],
      ['a', 'COMPLETED'],
    ]);
  });

  it('adds an unknown call in time order', () => {
    const list = [call('b', '2026-01-02T00:00:00Z')];
    expect(mergeCall(list, call('c', '2026-01-03T00:00:00Z')).map((c) => c.id)).toEqual(['c', 'b']);
  });
});
