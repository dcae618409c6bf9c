package io.voxdesk.audio;

import com.fasterxml.jackson.annotation.JsonValue;

/** What an audio item is for; the library lists and filters by it. */
public enum AudioKind {

	/** The message a voice campaign plays to each person it reaches. */
	CAMPAIGN_MESSAGE("campaign-message"),

	/** A prompt of an IVR menu: the options, "invalid key", "goodbye". */
	IVR_PROMPT("ivr-prompt"),

	/** What a waiting caller hears in a queue. */
	MUSIC_ON_HOLD("music-on-hold");

	private final String value;

	AudioKind(String value) {
		this.value = value;
	}

	/** The name the API uses, e.g. {@code campaign-message}. */
	@JsonValue
	public String value() {
		return value;
	}

	/**
	 * The kind an API name denotes.
	 *
	 * @throws IllegalArgumentException naming the accepted values, for any other name.
	 */
	public static AudioKind of(String value) {
		for (var kind : values()) {
			if (kind.value.equals(value)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("'" + value + "' is not an audio kind; use campaign-message, ivr-prompt or "
				+ "music-on-hold.");
	}
}
