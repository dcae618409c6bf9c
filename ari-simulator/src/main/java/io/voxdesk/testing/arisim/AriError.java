package io.voxdesk.testing.arisim;

import tools.jackson.databind.node.ObjectNode;

/** A request that Asterisk refuses, with the status and JSON body Asterisk sends for it. */
final class AriError extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int status;

	private final transient ObjectNode body;

	AriError(int status, ObjectNode body) {
		super(status + " " + body);
		this.status = status;
		this.body = body;
	}

	static AriError of(int status, String message) {
		return new AriError(status, Json.message(message));
	}

	static AriError channelNotFound() {
		return of(404, "Channel not found");
	}

	static AriError notInStasis() {
		return of(409, "Channel not in Stasis application");
	}

	static AriError allocationFailed() {
		// The one ARI error whose key is "error", not "message".
		return new AriError(500, Json.object().put("error", "Allocation failed"));
	}

	static AriError missing(String parameter) {
		return of(400, "Missing parameter " + parameter);
	}

	int status() {
		return status;
	}

	ObjectNode body() {
		return body;
	}
}
