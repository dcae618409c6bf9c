package io.voxdesk.calls.spi;

import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One setting a connector accepts: the settings form renders it, and Voxdesk checks a connection against it before
 * storing it. Build one with {@link #text}, {@link #url}, {@link #number}, {@link #flag} or {@link #secret} and the
 * {@code with…} methods.
 *
 * @param name the key in the connection's settings, e.g. {@code baseUrl}; for the secret, the form field's name.
 * @param label what the form shows, e.g. "ARI base URL".
 * @param type how the form asks for it and the first check it gets.
 * @param required whether a connection must have it.
 * @param secret whether it is the connection's secret: stored encrypted, never shown again; one per connector.
 * @param defaultValue what a new connection starts with in the form.
 * @param example a value such as a user would enter, shown as a placeholder and in error messages.
 * @param pattern a regular expression the whole value must match, when the type's own check is not enough.
 * @param rule what the pattern asks for in words, completing "{@code <name>} must be …".
 * @param min for a number, the smallest accepted.
 * @param max for a number, the largest accepted.
 */
public record ConnectorSetting(String name, String label, Type type, boolean required, boolean secret,
		@Nullable String defaultValue, @Nullable String example, @Nullable String pattern, @Nullable String rule,
		@Nullable Integer min, @Nullable Integer max) {

	private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9]{0,39}");

	public ConnectorSetting {
		Objects.requireNonNull(type);
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("A setting's name is 1 to 40 letters or digits: '" + name + "' is not");
		}
		if (label == null || label.isBlank()) {
			throw new IllegalArgumentException("Setting " + name + " needs a label");
		}
		if ((pattern == null) != (rule == null)) {
			throw new IllegalArgumentException("Setting " + name + " needs both a pattern and the rule it states");
		}
		if (pattern != null) {
			Pattern.compile(pattern);
		}
		if ((type == Type.NUMBER) != (min != null && max != null) || (min != null && (min < 0 || max < min))) {
			throw new IllegalArgumentException("Setting " + name + ": a number, and only a number, has a range");
		}
		if (secret && type != Type.TEXT) {
			throw new IllegalArgumentException("A secret is text");
		}
	}

	/** How a setting is entered and checked. */
	public enum Type {

		/** Free text. */
		TEXT,

		/** An http or https URL with a host; Voxdesk checks it is a place it may send requests to. */
		URL,

		/** A whole number, entered as digits. */
		NUMBER,

		/** {@code true} or {@code false}, shown as a checkbox. */
		FLAG
	}

	public static ConnectorSetting text(String name, String label) {
		return new ConnectorSetting(name, label, Type.TEXT, false, false, null, null, null, null, null, null);
	}

	public static ConnectorSetting url(String name, String label) {
		return new ConnectorSetting(name, label, Type.URL, false, false, null, null, null, null, null, null);
	}

	/** A whole number from {@code min} to {@code max}. */
	public static ConnectorSetting number(String name, String label, int min, int max) {
		return new ConnectorSetting(name, label, Type.NUMBER, false, false, null, null, null, null, min, max);
	}

	/** A flag, {@code false} unless set. */
	public static ConnectorSetting flag(String name, String label) {
		return new ConnectorSetting(name, label, Type.FLAG, false, false, "false", null, null, null, null, null);
	}

	/** The connection's secret (password, token); required when a connection is created, kept when left empty. */
	public static ConnectorSetting secret(String name, String label) {
		return new ConnectorSetting(name, label, Type.TEXT, true, true, null, null, null, null, null, null);
	}

	public ConnectorSetting withRequired() {
		return new ConnectorSetting(name, label, type, true, secret, defaultValue, example, pattern, rule, min, max);
	}

	public ConnectorSetting withDefault(String value) {
		return new ConnectorSetting(name, label, type, required, secret, value, example, pattern, rule, min, max);
	}

	public ConnectorSetting withExample(String value) {
		return new ConnectorSetting(name, label, type, required, secret, defaultValue, value, pattern, rule, min, max);
	}

	/**
	 * @param regex what the whole value must match.
	 * @param rule the same in words, e.g. "1 to 64 letters, digits, '_' or '-'".
	 */
	public ConnectorSetting withPattern(String regex, String rule) {
		return new ConnectorSetting(name, label, type, required, secret, defaultValue, example, regex, rule, min, max);
	}
}
