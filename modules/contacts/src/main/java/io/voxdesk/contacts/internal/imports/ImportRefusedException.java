package io.voxdesk.contacts.internal.imports;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The uploaded file cannot be imported at all (no header, no name column, no data rows); answered as 400. */
class ImportRefusedException extends ErrorResponseException {

	ImportRefusedException(String detail) {
		super(HttpStatus.BAD_REQUEST, problem(detail), null);
	}

	private static ProblemDetail problem(String detail) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle("File cannot be imported");
		return problem;
	}

	@Override
	public String getMessage() {
		return getBody().getDetail();
	}
}
