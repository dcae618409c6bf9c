import { Client, ReconnectionTimeMode, type StompSubscription } from '@stomp/stompjs';
import type { AgentPresence, CallRecord, IncomingOffer } from '../api/types';
import { sessionAlive, sessionExpired, type TokenProvider } from '../config';

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

/** Messages of tenant-wide topics (such as `/topic/tenants/<tenant>/calls`), and the feed's connection events. */
export interface TopicListener {
  /** A message on one of the listener's destinations: its body parsed as JSON, or the text when it is not JSON. */
  message(destination: string, body: unknown): void;
  /** Called after every (re)connection, once the listener's destinations are subscribed again. */
  connected?(): void;
  /**
   * The connection closed (lost, or refused by the server); the client tries again by itself with a growing delay,
   * and {@link connected} follows once it is back. Lets a live view say that it is not live meanwhile.
   */
  disconnected?(): void;
  refused?(message: string): void;
}

interface Topic {
  listeners: Set<TopicListener>;
  /** The live STOMP subscription; a lost connection leaves a stale one, replaced on reconnection. */
  subscription: StompSubscription | undefined;
}

interface Feed {
  client: Client;
  listeners: Set<LiveCallsListener>;
  topicListeners: Set<TopicListener>;
  topics: Map<string, Topic>;
}

const feeds = new Map<string, Map<TokenProvider, Feed>>();

/** The shared feed of an API base and token provider, opened on first use. */
function acquireFeed(apiBase: string, tokenProvider: TokenProvider): Feed {
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
  return feed;
}

/** Closes the feed once nobody listens to it any more. */
function releaseFeed(apiBase: string, tokenProvider: TokenProvider, feed: Feed): void {
  if (feed.listeners.size > 0 || feed.topicListeners.size > 0) {
    return;
  }
  const byToken = feeds.get(apiBase);
  if (byToken?.get(tokenProvider) === feed) {
    byToken.delete(tokenProvider);
    if (byToken.size === 0) {
      feeds.delete(apiBase);
    }
  }
  void feed.client.deactivate();
}

/**
 * Subscribes to `/user/queue/calls`, `/user/queue/offers` and `/user/queue/presence` over one shared STOMP
 * connection per API base and token provider;
 * returns the unsubscribe function, which closes the connection after its last listener left.
 */
export function subscribeLiveCalls(apiBase: string, tokenProvider: TokenProvider, listener: LiveCallsListener): () => void {
  const feed = acquireFeed(apiBase, tokenProvider);
  feed.listeners.add(listener);
  if (feed.client.connected) {
    listener.connected?.();
  }
  return () => {
    feed.listeners.delete(listener);
    releaseFeed(apiBase, tokenProvider, feed);
  };
}

/**
 * Subscribes to further destinations (tenant admins' `/topic/tenants/<tenant>/…`) over the same shared connection
 * as {@link subscribeLiveCalls}; each destination is subscribed once however many listeners want it.
 * Returns the unsubscribe function, which also closes the connection after its last listener left.
 */
export function subscribeTopics(
  apiBase: string,
  tokenProvider: TokenProvider,
  destinations: readonly string[],
  listener: TopicListener,
): () => void {
  const feed = acquireFeed(apiBase, tokenProvider);
  const wanted = [...new Set(destinations)];
  feed.topicListeners.add(listener);
  for (const destination of wanted) {
    let topic = feed.topics.get(destination);
    if (!topic) {
      topic = { listeners: new Set(), subscription: undefined };
      feed.topics.set(destination, topic);
      if (feed.client.connected) {
        topic.subscription = subscribeTopic(feed, destination);
      }
    }
    topic.listeners.add(listener);
  }
  if (feed.client.connected) {
    listener.connected?.();
  }
  return () => {
    feed.topicListeners.delete(listener);
    for (const destination of wanted) {
      const topic = feed.topics.get(destination);
      if (!topic) {
        continue;
      }
      topic.listeners.delete(listener);
      if (topic.listeners.size === 0) {
        feed.topics.delete(destination);
        // A subscription of a lost connection is gone already, and unsubscribing needs a connection.
        if (feed.client.connected) {
          topic.subscription?.unsubscribe();
        }
      }
    }
    releaseFeed(apiBase, tokenProvider, feed);
  };
}

function subscribeTopic(feed: Feed, destination: string): StompSubscription {
  return feed.client.subscribe(destination, (message) => {
    let body: unknown;
    try {
      body = JSON.parse(message.body);
    } catch {
      body = message.body;
    }
    for (const listener of feed.topics.get(destination)?.listeners ?? []) {
      listener.message(destination, body);
    }
  });
}

function openFeed(apiBase: string, tokenProvider: TokenProvider): Feed {
  const listeners = new Set<LiveCallsListener>();
  const topicListeners = new Set<TopicListener>();
  const topics = new Map<string, Topic>();
  const client = new Client({
    brokerURL: stompUrl(apiBase),
    reconnectDelay: 2000,
    reconnectTimeMode: ReconnectionTimeMode.EXPONENTIAL,
    maxReconnectDelay: 60_000,
    heartbeatIncoming: 20_000,
    heartbeatOutgoing: 20_000,
    debug: () => undefined,
    // Access tokens are short-lived: fetch a fresh one for every (re)connection. Without one the session is over:
    // the host is told, and the feed keeps retrying (refused) until the user has signed in again.
    beforeConnect: async (self) => {
      try {
        const token = await tokenProvider();
        self.connectHeaders = { Authorization: `Bearer ${token}` };
        sessionAlive(tokenProvider, token);
      } catch {
        sessionExpired(tokenProvider, { reason: 'token-unavailable', apiBase });
        self.connectHeaders = {};
      }
    },
  });
  const feed: Feed = { client, listeners, topicListeners, topics };
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
    // Subscriptions do not survive a lost connection: take every wanted topic again.
    for (const [destination, topic] of topics) {
      topic.subscription = subscribeTopic(feed, destination);
    }
    for (const listener of [...listeners, ...topicListeners]) {
      listener.connected?.();
    }
  };
  client.onWebSocketClose = () => {
    for (const listener of topicListeners) {
      listener.disconnected?.();
    }
  };
  client.onStompError = (frame) => {
    const message = frame.headers.message ?? frame.body ?? 'refused';
    for (const listener of [...listeners, ...topicListeners]) {
      listener.refused?.(message);
    }
  };
  client.activate();
  return feed;
}
