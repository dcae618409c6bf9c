package io.voxdesk.tickets.internal;

import io.voxdesk.tickets.TicketId;
import io.voxdesk.tickets.TicketNotFoundException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The problems the tickets module answers with, worded once for its workflows and controllers. */
final class TicketProblems {

	private TicketProblems() {
	}

	/** A 400 problem with a title and a sentence a person understands. */
	static ErrorResponseException badRequest(String title, String detail) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle(title);
		return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
	}

	/** A ticket that does not exist and one the viewer may not see answer alike. */
	static TicketNotFoundException notFound(TicketId id) {
		return new TicketNotFoundException("There is no ticket " + id + " you can see in your tenant.");
	}
}
