package io.voxdesk.tenants;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A tenant with the requested id exists already; answered as 409. */
public class TenantAlreadyExistsException extends ErrorResponseException {

	public TenantAlreadyExistsException(TenantId id) {
		super(HttpStatus.CONFLICT, problem(id), null);
	}

	private static ProblemDetail problem(TenantId id) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"A tenant with id '" + id + "' exists already; tenant ids are never reused.");
		problem.setTitle("Tenant exists");
		return problem;
	}
}
