package io.voxdesk.calls;

import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A kind of telephony provider, named by the connector that drives it ({@code asterisk}, {@code api4com}, …). Open:
 * installing a connector adds a kind, and which kinds this Voxdesk can drive is the connectors' business.
 *
 * @param code lowercase letters, digits and '-', as the API and the database write it.
 */
public record ProviderKind(@JsonValue String code) {

	private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]{1,19}");

	/** Accepts any case (events stored before kinds were open spell them in capitals). */
	public ProviderKind {
		code = code == null ? "" : code.strip().toLowerCase(Locale.ROOT);
		if (!CODE.matcher(code).matches()) {
			throw new IllegalArgumentException("A provider kind is 2 to 20 lowercase letters, digits or '-', "
					+ "starting with a letter, such as asterisk");
		}
	}

	/**
	 * @throws IllegalArgumentException when the code cannot name a kind.
	 */
	public static ProviderKind of(String code) {
		return new ProviderKind(code);
	}

	@Override
	public String toString() {
		return code;
	}
}
