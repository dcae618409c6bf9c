package io.voxdesk.audio;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Builds the problem documents of this module's exceptions. */
final class Problems {

	private Problems() {
	}

	static ProblemDetail of(HttpStatus status, String title, String detail) {
		var problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}
}
