package io.voxdesk.extensions;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Another user of the tenant has this extension number; answered as 409 naming the field. */
public class ExtensionTakenException extends ErrorResponseException {

	public ExtensionTakenException(String extension) {
		super(HttpStatus.CONFLICT, problem(extension), null);
	}

	private static ProblemDetail problem(String extension) {
		var detail = "Extension " + extension + " belongs to another user of your organization.";
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
		problem.setTitle("Extension taken");
		problem.setProperty("errors", List.of(Map.of("field", "extension", "message", detail)));
		return problem;
	}
}
