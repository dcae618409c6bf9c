package io.voxdesk.contacts;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A phone number could not be read as a valid number; answered as 400 naming the field and why. */
public class InvalidPhoneNumberException extends ErrorResponseException {

	private final String field;

	private final String reason;

	public InvalidPhoneNumberException(String field, String input, String reason) {
		super(HttpStatus.BAD_REQUEST, problem(field, input, reason), null);
		this.field = field;
		this.reason = reason;
	}

	public String field() {
		return field;
	}

	public String reason() {
		return reason;
	}

	private static ProblemDetail problem(String field, String input, String reason) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				field + ": '" + input + "' is not a valid phone number: " + reason + ".");
		problem.setTitle("Invalid phone number");
		problem.setProperty("errors", List.of(Map.of("field", field, "message", reason)));
		return problem;
	}
}
