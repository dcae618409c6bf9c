package io.voxdesk.audio;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * An upload or a text the library does not take: too large, too long, of another format, unreadable; answered with
 * the status and a detail that says what to do instead.
 */
public class AudioRefusedException extends ErrorResponseException {

	public AudioRefusedException(HttpStatus status, String title, String detail) {
		super(status, Problems.of(status, title, detail), null);
	}

	/** 422: the request was understood, but its content cannot become audio. */
	public static AudioRefusedException unprocessable(String title, String detail) {
		return new AudioRefusedException(HttpStatus.UNPROCESSABLE_CONTENT, title, detail);
	}
}
