package io.voxdesk.audio;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an audio item came from. */
public enum AudioSource {

	/** A file an admin uploaded. */
	UPLOAD("upload"),

	/** Text turned into speech by a {@link SpeechSynthesis} engine. */
	SPEECH("speech");

	private final String value;

	AudioSource(String value) {
		this.value = value;
	}

	@JsonValue
	public String value() {
		return value;
	}
}
