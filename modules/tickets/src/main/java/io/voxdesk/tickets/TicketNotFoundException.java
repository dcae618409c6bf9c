package io.voxdesk.tickets;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The ticket does not exist in the current tenant or the viewer may not see it; answered as 404. */
public class TicketNotFoundException extends ErrorResponseException {

	public TicketNotFoundException(String detail) {
		super(HttpStatus.NOT_FOUND, problem(detail), null);
	}

	private static ProblemDetail problem(String detail) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail);
		problem.setTitle("Ticket not found");
		return problem;
	}
}
