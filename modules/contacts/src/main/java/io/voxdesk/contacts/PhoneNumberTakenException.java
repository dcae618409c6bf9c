package io.voxdesk.contacts;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A number already belongs to another contact of the tenant; answered as 409 naming that contact. */
public class PhoneNumberTakenException extends ErrorResponseException {

	public PhoneNumberTakenException(String e164, ContactId owner) {
		super(HttpStatus.CONFLICT, problem(e164, owner), null);
	}

	private static ProblemDetail problem(String e164, ContactId owner) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "The number " + e164
				+ " already belongs to contact " + owner + "; a number belongs to one contact. Add the details there.");
		problem.setTitle("Phone number taken");
		problem.setProperty("contactId", owner.toString());
		return problem;
	}
}
