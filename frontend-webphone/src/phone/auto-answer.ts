import type { CallRecord } from '../api/types';

/** Header naming the Voxdesk call whose agent leg an Asterisk INVITE is. */
export const VOXDESK_CALL_ID_HEADER = 'X-Voxdesk-Call-Id';

/** Header API4COM puts on the agent leg of an integrated (click-to-call) call. */
export const API4COM_INTEGRATED_HEADER = 'X-Api4comintegratedcall';

/** How long after a click-to-call an API4COM agent leg may still be answered by itself. */
export const API4COM_WINDOW_MS = 60_000;

/** How long a click-to-call is remembered at all. */
const FORGET_AFTER_MS = 10 * 60_000;

/** A click-to-call of this user whose agent leg may still ring here. */
export interface PendingClickToCall {
  id: string;
  /** When this page first learnt of the call (local clock: the server's may be skewed). */
  seenAt: number;
  agentAnswered: boolean;
  record: CallRecord;
}

/** Why an incoming call is, or is not, answered by itself. */
export interface AutoAnswerDecision {
  autoAnswer: boolean;
  /** The Voxdesk call this leg belongs to, when known. */
  callId?: string;
  rule: 'voxdesk-call-id' | 'api4com' | 'none';
}

/** Reads a header of the incoming INVITE; `undefined` when absent. */
export type HeaderReader = (name: string) => string | undefined;

const ENDED = new Set(['COMPLETED', 'BUSY', 'NO_ANSWER', 'FAILED', 'CANCELLED', 'VOICEMAIL', 'TRANSFERRED', 'MISSED']);

/** The click-to-calls of this user, learnt from `voxdesk-call-requested` and the live feed. */
export class PendingCalls {
  private readonly calls = new Map<string, PendingClickToCall>();
  private readonly now: () => number;

  /** `ownExtension`: when both it and a record's `agentExtension` are known and differ, the call is not ours. */
  constructor(now: () => number = Date.now, private ownExtension: string | null = null) {
    this.now = now;
  }

  setOwnExtension(extension: string | null | undefined): void {
    this.ownExtension = extension || null;
  }

  /** A click-to-call this page started (the `POST` answer). */
  requested(record: CallRecord): void {
    this.learn(record);
  }

  /** A record from `/user/queue/calls`: starts, updates or forgets a pending call. */
  fromFeed(record: CallRecord): void {
    this.learn(record);
  }

  get(id: string): PendingClickToCall | undefined {
    return this.calls.get(id);
  }

  /** Marks the agent leg as answered so that a second INVITE for the same call is not answered by itself. */
  markAnswered(id: string): void {
    const pending = this.calls.get(id);
    if (pending) {
      pending.agentAnswered = true;
    }
  }

  /** Decides whether an incoming INVITE is the agent leg of one of this user's click-to-calls. */
  decide(header: HeaderReader): AutoAnswerDecision {
    this.prune();
    const callId = header(VOXDESK_CALL_ID_HEADER)?.trim();
    if (callId) {
      const pending = this.calls.get(callId);
      if (pending && !pending.agentAnswered) {
        return { autoAnswer: true, callId, rule: 'voxdesk-call-id' };
      }
      return { autoAnswer: false, callId, rule: 'none' };
    }
    if (header(API4COM_INTEGRATED_HEADER)?.trim().toLowerCase() === 'true') {
      const now = this.now();
      let newest: PendingClickToCall | undefined;
      for (const pending of this.calls.values()) {
        if (!pending.agentAnswered && now - pending.seenAt < API4COM_WINDOW_MS && (!newest || pending.seenAt > newest.seenAt)) {
          newest = pending;
        }
      }
      if (newest) {
        return { autoAnswer: true, callId: newest.id, rule: 'api4com' };
      }
    }
    return { autoAnswer: false, rule: 'none' };
  }

  private learn(record: CallRecord): void {
    if (!record || typeof record.id !== 'string') {
      return;
    }
    if (this.ownExtension && record.agentExtension && record.agentExtension !== this.ownExtension) {
      return;
    }
    // A customer calling in is the agent's to answer: only their own click-to-calls ring back by themselves.
    if (record.direction === 'inbound') {
      return;
    }
    const known = this.calls.get(record.id);
    const status = String(record.status ?? 'RINGING').toUpperCase();
    if (ENDED.has(status)) {
      this.calls.delete(record.id);
      return;
    }
    const agentAnswered = !!record.agentAnsweredAt || status !== 'RINGING';
    if (known) {
      known.record = record;
      known.agentAnswered = known.agentAnswered || agentAnswered;
      return;
    }
    if (agentAnswered) {
      return;
    }
    this.calls.set(record.id, { id: record.id, seenAt: this.now(), agentAnswered: false, record });
  }

  private prune(): void {
    const now = this.now();
    for (const [id, pending] of this.calls) {
      if (now - pending.seenAt > FORGET_AFTER_MS) {
        this.calls.delete(id);
      }
    }
  }
}
