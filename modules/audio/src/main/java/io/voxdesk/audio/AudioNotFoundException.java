package io.voxdesk.audio;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The current tenant has no audio item with this id; answered as 404. */
public class AudioNotFoundException extends ErrorResponseException {

	public AudioNotFoundException(AudioId id) {
		super(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "Audio not found",
				"There is no audio " + id + " in your organization's library."), null);
	}
}
