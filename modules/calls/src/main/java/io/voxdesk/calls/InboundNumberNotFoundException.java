package io.voxdesk.calls;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The current tenant has no inbound number with this id; answered as 404. */
public class InboundNumberNotFoundException extends ErrorResponseException {

	public InboundNumberNotFoundException(InboundNumberId id) {
		super(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "Inbound number not found",
				"There is no inbound number " + id.value() + " in your organization."), null);
	}
}
