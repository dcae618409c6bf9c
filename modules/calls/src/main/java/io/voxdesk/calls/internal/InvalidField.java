package io.voxdesk.calls.internal;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The 400 problem for one invalid request field, shaped like Bean Validation's ({@code errors: [{field, message}]}). */
final class InvalidField {

	private InvalidField() {
	}

	static ErrorResponseException problem(String title, String field, String message) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, message);
		problem.setTitle(title);
		problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
		return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
	}
}
