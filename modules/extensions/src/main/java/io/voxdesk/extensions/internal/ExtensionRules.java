package io.voxdesk.extensions.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * What a valid extension looks like. The REST API checks the same patterns with Bean Validation; the workflow
 * checks them again so that callers of the module's API cannot store what a client could not.
 */
final class ExtensionRules {

	static final String EXTENSION = "[0-9A-Za-z._-]{1,40}";

	static final String EXTENSION_MESSAGE = "must be 1 to 40 letters, digits, '.', '_' or '-'";

	static final String USERNAME = "[0-9A-Za-z._+-]{0,64}";

	static final String USERNAME_MESSAGE = "must be up to 64 letters, digits, '.', '_', '+' or '-'";

	/** A DNS name or an IPv4 address, no port: it is also the SIP realm. */
	static final String DOMAIN = "([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)?";

	static final String DOMAIN_MESSAGE = "must be a host name such as pbx.example.com";

	static final int DOMAIN_MAX = 253;

	static final String WEBSOCKET_URL = "((?i:wss?)://\\S+)?";

	static final String WEBSOCKET_URL_MESSAGE = "must be a ws:// or wss:// URL with a host, such as wss://pbx.example.com:8089/ws";

	static final int WEBSOCKET_URL_MAX = 500;

	static final String DISPLAY_NAME = "[^\\p{Cntrl}]*";

	static final String DISPLAY_NAME_MESSAGE = "must not contain control characters";

	static final int DISPLAY_NAME_MAX = 100;

	static final int PASSWORD_MAX = 128;

	private static final Pattern EXTENSION_PATTERN = Pattern.compile(EXTENSION);

	private static final Pattern USERNAME_PATTERN = Pattern.compile(USERNAME);

	private static final Pattern DOMAIN_PATTERN = Pattern.compile(DOMAIN);

	private static final Pattern WEBSOCKET_URL_PATTERN = Pattern.compile(WEBSOCKET_URL);

	private static final Pattern DISPLAY_NAME_PATTERN = Pattern.compile(DISPLAY_NAME);

	private ExtensionRules() {
	}

	static void checkExtension(String value) {
		check(EXTENSION_PATTERN.matcher(value).matches(), "extension", EXTENSION_MESSAGE);
	}

	static void checkUsername(String value) {
		check(USERNAME_PATTERN.matcher(value).matches(), "username", USERNAME_MESSAGE);
	}

	static void checkDomain(String value) {
		check(value.length() <= DOMAIN_MAX, "domain", "must be at most " + DOMAIN_MAX + " characters");
		check(DOMAIN_PATTERN.matcher(value).matches(), "domain", DOMAIN_MESSAGE);
	}

	/** The pattern alone would take {@code wss://:8089}; a URL without a host cannot be dialled. */
	static void checkWebsocketUrl(String value) {
		check(value.length() <= WEBSOCKET_URL_MAX, "websocketUrl",
				"must be at most " + WEBSOCKET_URL_MAX + " characters");
		check(WEBSOCKET_URL_PATTERN.matcher(value).matches() && host(value) != null, "websocketUrl",
				WEBSOCKET_URL_MESSAGE);
	}

	static void checkDisplayName(String value) {
		check(value.length() <= DISPLAY_NAME_MAX, "displayName", "must be at most " + DISPLAY_NAME_MAX + " characters");
		check(DISPLAY_NAME_PATTERN.matcher(value).matches(), "displayName", DISPLAY_NAME_MESSAGE);
	}

	static void checkPassword(String value) {
		check(value.length() <= PASSWORD_MAX, "password", "must be at most " + PASSWORD_MAX + " characters");
	}

	private static @Nullable String host(String url) {
		try {
			return new URI(url).getHost();
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	private static void check(boolean valid, String field, String message) {
		if (!valid) {
			throw invalid(field, message);
		}
	}

	/** A 400 problem naming the field, shaped like the application's Bean Validation problems. */
	static ErrorResponseException invalid(String field, String message) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The request has invalid fields: " + field + " " + message + ".");
		problem.setTitle("Invalid request");
		problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
		return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
	}

	/** A 409 problem: the extension exists but cannot serve the webphone yet, and why. */
	/**
	 * The extension cannot be used yet; {@code type} names which reason ({@code urn:voxdesk:problem:<type>}), so that
	 * a client such as the webphone tells its user the true one rather than guessing from the status.
	 */
	static ErrorResponseException notUsable(String type, String title, String detail) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
		problem.setType(URI.create("urn:voxdesk:problem:" + type));
		problem.setTitle(title);
		return new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
	}
}
