package io.voxdesk.tickets;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A request names a contact, queue or user the current tenant does not have; answered as 422. */
public class UnknownReferenceException extends ErrorResponseException {

	public UnknownReferenceException(String detail) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, problem(detail), null);
	}

	private static ProblemDetail problem(String detail) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, detail);
		problem.setTitle("Unknown reference");
		return problem;
	}
}
