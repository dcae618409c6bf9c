package io.voxdesk.api4com.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * API4COM's clock is São Paulo's, and it never says so: webhooks send {@code "2025-01-01 00:00:05"} without a zone,
 * and {@code GET /calls} labels the same local time with a false {@code Z} ({@code "2026-05-14T10:00:44.000Z"} is
 * 10:00:44 in Brasília). Both are read as São Paulo wall-clock time, and filters are written in the second form;
 * a genuine non-zero offset, should API4COM ever send one, is honoured.
 */
final class Api4comTime {

	static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");

	private static final Pattern WALL_CLOCK = Pattern
		.compile("(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}:\\d{2})(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})?");

	private static final DateTimeFormatter FILTER = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

	private Api4comTime() {
	}

	/** The instant of an API4COM timestamp; {@literal null} when it is empty or not a timestamp. */
	static @Nullable Instant parse(@Nullable String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		var matcher = WALL_CLOCK.matcher(text.strip());
		if (!matcher.matches()) {
			return null;
		}
		try {
			var local = LocalDateTime.parse(matcher.group(1) + "T" + matcher.group(2)
					+ (matcher.group(3) == null ? "" : matcher.group(3)));
			var offset = matcher.group(4);
			// A real offset is honoured; Z and +00:00 are API4COM's false label on local time.
			if (offset != null && !offset.equals("Z") && !offset.matches("[+-]00:?00")) {
				return local.atOffset(ZoneOffset.of(offset)).toInstant();
			}
			return local.atZone(SAO_PAULO).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/** An instant in the form {@code GET /calls} filters compare with: São Paulo time labelled {@code Z}. */
	static String filter(Instant instant) {
		return FILTER.format(instant.atZone(SAO_PAULO).toLocalDateTime());
	}
}
