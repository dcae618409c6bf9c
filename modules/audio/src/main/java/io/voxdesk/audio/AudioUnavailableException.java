package io.voxdesk.audio;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A tool the library needs (the converter, the speech engine) is missing or failed on this machine: an operator's
 * problem, not the user's; answered as 503.
 */
public class AudioUnavailableException extends ErrorResponseException {

	public AudioUnavailableException(String detail) {
		super(HttpStatus.SERVICE_UNAVAILABLE, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Audio processing unavailable",
				detail), null);
	}
}
