package io.voxdesk.calls.internal;

import java.math.BigInteger;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.voxdesk.calls.spi.ConnectorDescription;
import io.voxdesk.calls.spi.ConnectorSetting;

import org.jspecify.annotations.Nullable;

/**
 * Checks a connection's settings and secret against what its connector declares, so that every connector's form
 * errors read alike and no connector repeats "is required" checks.
 */
final class DeclaredSettings {

	private DeclaredSettings() {
	}

	/** A setting that failed its declaration: the field to point at and a sentence a tenant admin understands. */
	record Problem(String field, String message) {
	}

	/**
	 * The first problem of the draft's settings, in declaration order; unknown settings first.
	 *
	 * @param secret the secret entered, or {@literal null} when the stored one is kept.
	 */
	static Optional<Problem> firstProblem(ConnectorDescription description, Map<String, String> settings,
			@Nullable String secret) {
		var known = description.plainSettings().stream().map(ConnectorSetting::name).toList();
		var unknown = settings.keySet().stream().filter(key -> !known.contains(key)).sorted().toList();
		if (!unknown.isEmpty()) {
			return Optional.of(new Problem("settings", "Unknown " + description.displayName() + " settings " + unknown
					+ "; the settings are " + known + " (the " + description.secret().label() + " is the secret)."));
		}
		for (var setting : description.plainSettings()) {
			var problem = problem(setting, setting.name(), settings.get(setting.name()));
			if (problem != null) {
				return Optional.of(new Problem("settings." + setting.name(), problem));
			}
		}
		if (secret != null && !secret.isEmpty()) {
			var problem = problem(description.secret(), "The " + description.secret().label(), secret);
			if (problem != null) {
				return Optional.of(new Problem("secret", problem));
			}
		}
		return Optional.empty();
	}

	/** @param name how the message names the setting. */
	private static @Nullable String problem(ConnectorSetting setting, String name, @Nullable String raw) {
		var value = raw == null ? "" : raw.strip();
		if (value.isEmpty()) {
			return setting.required() ? name + " is required: " + describe(setting) + "." : null;
		}
		if (setting.secret() ? value.length() > 500 : value.length() > 1000) {
			return name + " is too long: at most " + (setting.secret() ? 500 : 1000) + " characters.";
		}
		switch (setting.type()) {
			case URL -> {
				if (!isHttpUrl(value)) {
					return name + " '" + value + "' is not an http or https URL"
							+ (setting.example() == null ? "." : " such as " + setting.example() + ".");
				}
			}
			case FLAG -> {
				if (!value.equals("true") && !value.equals("false")) {
					return name + " must be true or false.";
				}
			}
			case NUMBER -> {
				if (!value.matches("[0-9]{1,18}") || new BigInteger(value).compareTo(BigInteger.valueOf(setting.min())) < 0
						|| new BigInteger(value).compareTo(BigInteger.valueOf(setting.max())) > 0) {
					return name + " must be a whole number from " + setting.min() + " to " + setting.max() + ".";
				}
			}
			case TEXT -> {
			}
		}
		if (setting.pattern() != null && !Pattern.compile(setting.pattern()).matcher(value).matches()) {
			return name + " must be " + setting.rule() + ".";
		}
		return null;
	}

	private static String describe(ConnectorSetting setting) {
		return setting.label() + (setting.example() == null ? "" : ", e.g. " + setting.example());
	}

	private static boolean isHttpUrl(String value) {
		try {
			var uri = URI.create(value);
			return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}
}
