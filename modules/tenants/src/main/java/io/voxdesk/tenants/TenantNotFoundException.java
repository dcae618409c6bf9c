package io.voxdesk.tenants;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** No tenant with the given id exists (or it is not visible to the caller); answered as 404. */
public class TenantNotFoundException extends ErrorResponseException {

	public TenantNotFoundException(TenantId id) {
		super(HttpStatus.NOT_FOUND, problem(id), null);
	}

	private static ProblemDetail problem(TenantId id) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "There is no tenant '" + id + "'.");
		problem.setTitle("Tenant not found");
		return problem;
	}
}
