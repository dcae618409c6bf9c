package io.voxdesk.calls;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** There is no callback task with this id that the user may see; answered as 404. */
public class CallbackNotFoundException extends ErrorResponseException {

	public CallbackNotFoundException(CallbackId id) {
		super(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "Callback not found",
				"There is no callback " + id.value() + " you can see in your organization."), null);
	}
}
