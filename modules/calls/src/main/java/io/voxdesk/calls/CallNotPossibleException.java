package io.voxdesk.calls;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A call cannot be placed or controlled now (no active extension, no enabled provider connection, the call has
 * ended); answered as 409 with the reason.
 */
public class CallNotPossibleException extends ErrorResponseException {

	public CallNotPossibleException(String title, String detail) {
		super(HttpStatus.CONFLICT, Problems.of(HttpStatus.CONFLICT, title, detail), null);
	}
}
