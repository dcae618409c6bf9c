package io.voxdesk.contacts.internal.imports;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * UUIDs of version 7 (RFC 9562): the milliseconds since the epoch first, then random bits. An import writes
 * hundreds of thousands of new ids into the contact tables' indexes; with random ids every one of them lands on
 * another page of an index of a million entries (each page read, dirtied and written in full to the WAL after a
 * checkpoint), with ids that grow they land side by side.
 */
final class TimeOrderedIds {

	private final SecureRandom random = new SecureRandom();

	private final Clock clock;

	TimeOrderedIds(Clock clock) {
		this.clock = clock;
	}

	UUID next() {
		var bytes = new byte[10];
		random.nextBytes(bytes);
		var millis = clock.millis();
		var high = (millis << 16) | 0x7000L | ((bytes[0] & 0x0fL) << 8) | (bytes[1] & 0xffL);
		var low = 0x8000_0000_0000_0000L | (bytes[2] & 0x3fL) << 56;
		for (var i = 3; i < 10; i++) {
			low |= (bytes[i] & 0xffL) << (8 * (9 - i));
		}
		return new UUID(high, low);
	}
}
