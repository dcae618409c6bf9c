package io.voxdesk.calls;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The current tenant has no provider connection with this id; answered as 404. */
public class ProviderConnectionNotFoundException extends ErrorResponseException {

	public ProviderConnectionNotFoundException(ProviderConnectionId id) {
		super(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "Provider connection not found",
				"There is no provider connection " + id + "."), null);
	}
}
