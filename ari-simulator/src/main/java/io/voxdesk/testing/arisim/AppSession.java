package io.voxdesk.testing.arisim;

import java.util.Set;

/** One event WebSocket ({@code /ari/events}) and the Stasis applications it registered. */
final class AppSession {

	/** Where the session's frames go; implemented over a Netty channel. */
	interface Sink {

		/** Queues one text frame; never blocks. */
		void send(String json);

		/** Closes the WebSocket from the server side. */
		void close();
	}

	final Set<String> apps;

	final boolean subscribeAll;

	final Sink sink;

	AppSession(Set<String> apps, boolean subscribeAll, Sink sink) {
		this.apps = Set.copyOf(apps);
		this.subscribeAll = subscribeAll;
		this.sink = sink;
	}
}
