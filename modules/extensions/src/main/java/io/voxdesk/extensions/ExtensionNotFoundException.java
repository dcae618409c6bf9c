package io.voxdesk.extensions;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The user has no extension in the current tenant; answered as 404. */
public class ExtensionNotFoundException extends ErrorResponseException {

	public ExtensionNotFoundException() {
		super(HttpStatus.NOT_FOUND, problem(), null);
	}

	private static ProblemDetail problem() {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "You have not set up an extension yet.");
		problem.setType(java.net.URI.create("urn:voxdesk:problem:no-extension"));
		problem.setTitle("No extension");
		return problem;
	}
}
