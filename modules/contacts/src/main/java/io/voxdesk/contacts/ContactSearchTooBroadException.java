package io.voxdesk.contacts;

import java.time.Duration;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A contact search ran longer than {@code voxdesk.contacts.search-timeout} and was stopped; answered as 422. */
public class ContactSearchTooBroadException extends ErrorResponseException {

	public ContactSearchTooBroadException(Duration timeout, Throwable cause) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, problem(timeout), cause);
	}

	private static ProblemDetail problem(Duration timeout) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
				"The search matched too much to finish within " + timeout.toMillis()
						+ " ms and was stopped. Search for more of the name, email or number.");
		problem.setTitle("Search too broad");
		return problem;
	}
}
