import { Client, ReconnectionTimeMode } from '@stomp/stompjs';
import type { AgentPresence, CallRecord, IncomingOffer } from '../api/types';
import type { TokenProvider } from '../config';

/** Receives every call record pushed to the user, and learns when the feed (re)connects or is refused. */
export interface LiveCallsListener {
  record(record: CallRecord): void;
  /** An inbound caller about to ring this user's phone (`/user/queue/offers`). */
  offer?(offer: IncomingOffer): void;
  /** The user's presence changed, here or in another tab (`/user/queue/presence`). */
  presence?(presence: AgentPresence): void;
  connected?(): void;
  refused?(message: string): void;
}

/** The STOMP endpoint for an API base: `http(s)://host/base` becomes `ws(s)://host/base/ws`. */
export function stompUrl(apiBase: string): string {
  const url = new URL(apiBase.replace(/\/+$/, '') + '/ws', globalThis.location?.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

interface Feed {
  client: Client;
  listeners: Set<LiveCallsListener>;
}

const feeds = new Map<string, Map<TokenProvider, Feed>>();

/**
 * Subscribes to `/user/queue/calls`, `/user/queue/offers` and `/user/queue/presence` over one shared STOMP
 * connection per API base and token provider;
 * returns the unsubscribe function, which closes the connection after its last listener left.
 */
export function subscribeLiveCalls(apiBase: string, tokenProvider: TokenProvider, listener: LiveCallsListener): () => void {
  let byToken = feeds.get(apiBase);
  if (!byToken) {
    byToken = new Map();
    feeds.set(apiBase, byToken);
  }
  let feed = byToken.get(tokenProvider);
  if (!feed) {
    feed = openFeed(apiBase, tokenProvider);
    byToken.set(tokenProvider, feed);
  }
  const opened = feed;
  opened.listeners.add(listener);
  if (opened.client.connected) {
    listener.connected?.();
  }
  return () => {
    opened.listeners.delete(listener);
    if (opened.listeners.size === 0) {
      byToken.delete(tokenProvider);
      if (byToken.size === 0) {
        feeds.delete(apiBase);
      }
      void opened.client.deactivate();
    }
  };
}

function openFeed(apiBase: string, tokenProvider: TokenProvider): Feed {
  const listeners = new Set<LiveCallsListener>();
  const client = new Client({
    brokerURL: stompUrl(apiBase),
    reconnectDelay: 2000,
    reconnectTimeMode: ReconnectionTimeMode.EXPONENTIAL,
    maxReconnectDelay: 60_000,
    heartbeatIncoming: 20_000,
    heartbeatOutgoing: 20_000,
    debug: () => undefined,
    // Access tokens are short-lived: fetch a fresh one for every (re)connection.
    beforeConnect: async (self) => {
      self.connectHeaders = { Authorization: `Bearer ${await tokenProvider()}` };
    },
  });
  client.onConnect = () => {
    client.subscribe('/user/queue/calls', (message) => {
      let record: CallRecord;
      try {
        record = JSON.parse(message.body) as CallRecord;
      } catch {
        return;
      }
      for (const listener of listeners) {
        listener.record(record);
      }
    });
    client.subscribe('/user/queue/offers', (message) => {
      let offer: IncomingOffer;
      try {
        offer = JSON.parse(message.body) as IncomingOffer;
      } catch {
        return;
      }
      for (const listener of listeners) {
        listener.offer?.(offer);
      }
    });
    client.subscribe('/user/queue/presence', (message) => {
      let presence: AgentPresence;
      try {
        presence = JSON.parse(message.body) as AgentPresence;
      } catch {
        return;
      }
      for (const listener of listeners) {
        listener.presence?.(presence);
      }
    });
    for (const listener of listeners) {
      listener.connected?.();
    }
  };
  client.onStompError = (frame) => {
    const message = frame.headers.message ?? frame.body ?? 'refused';
    for (const listener of listeners) {
      listener.refused?.(message);
    }
  };
  client.activate();
  return { client, listeners };
}
