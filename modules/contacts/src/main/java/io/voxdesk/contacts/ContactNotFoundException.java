package io.voxdesk.contacts;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** No contact with this id exists in the current tenant; answered as 404. */
public class ContactNotFoundException extends ErrorResponseException {

	public ContactNotFoundException(String what) {
		super(HttpStatus.NOT_FOUND, problem(what), null);
	}

	private static ProblemDetail problem(String what) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "There is no contact " + what + ".");
		problem.setTitle("Contact not found");
		return problem;
	}
}
