package io.voxdesk.audio;

import com.fasterxml.jackson.annotation.JsonValue;

/** The formats the library accepts, recognised by their content rather than by the file's name. */
public enum AudioFormat {

	WAV("wav"), MP3("mp3"), GSM("gsm");

	private final String value;

	AudioFormat(String value) {
		this.value = value;
	}

	/** The name the API and the converter use. */
	@JsonValue
	public String value() {
		return value;
	}
}
