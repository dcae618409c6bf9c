package io.voxdesk.tickets;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The action does not fit the ticket's or queue's current state (closing a closed ticket, a taken queue name); answered as 409. */
public class TicketConflictException extends ErrorResponseException {

	public TicketConflictException(String detail) {
		super(HttpStatus.CONFLICT, problem(detail), null);
	}

	private static ProblemDetail problem(String detail) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
		problem.setTitle("Conflict");
		return problem;
	}
}
