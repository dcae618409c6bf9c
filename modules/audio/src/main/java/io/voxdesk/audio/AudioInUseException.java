package io.voxdesk.audio;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An audio item cannot be deleted while campaigns or queues play it; answered as 409, naming them. */
public class AudioInUseException extends ErrorResponseException {

	public AudioInUseException(String name, List<String> users) {
		super(HttpStatus.CONFLICT, problem(name, users), null);
	}

	private static ProblemDetail problem(String name, List<String> users) {
		var problem = Problems.of(HttpStatus.CONFLICT, "Audio in use", "\"" + name + "\" is used by "
				+ String.join(", ", users) + "; choose other audio there first, then delete it.");
		problem.setProperty("usedBy", users);
		return problem;
	}
}
