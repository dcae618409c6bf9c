package io.voxdesk.calls;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** No call with this id exists for the current tenant and caller; answered as 404. */
public class CallNotFoundException extends ErrorResponseException {

	public CallNotFoundException(CallId id) {
		super(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "Call not found", "There is no call " + id + "."),
				null);
	}
}
