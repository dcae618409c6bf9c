package io.voxdesk.calls;

import java.util.Arrays;
import java.util.Locale;

import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import org.jspecify.annotations.Nullable;

/**
 * Where a waiting caller goes when the queue's maximum wait passes or nobody in it can take calls.
 *
 * @param queue the queue they move to, for {@link Target#QUEUE}.
 * @param user the one user who is rung instead, for {@link Target#USER}.
 * @param message the sound the caller hears before {@link Target#HANG_UP} hangs up, a name of the PBX's sounds
 *     such as {@code vm-goodbye}.
 */
public record QueueOverflow(Target target, @Nullable QueueId queue, @Nullable UserId user, @Nullable String message) {

	/** Sensible for a queue nobody configured: a short goodbye, then the call ends (and becomes a callback). */
	public static final QueueOverflow HANG_UP = new QueueOverflow(Target.HANG_UP, null, null, "vm-goodbye");

	/** The kinds of overflow. */
	public enum Target {

		HANG_UP, QUEUE, USER;

		@JsonValue
		public String code() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

		/** @throws IllegalArgumentException for anything but {@code hang-up}, {@code queue} or {@code user}. */
		@JsonCreator
		public static Target of(String code) {
			return Arrays.stream(values())
				.filter(target -> target.code().equals(code))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("overflow.target must be hang-up, queue or user, was '"
						+ code + "'"));
		}
	}
}
