package io.voxdesk.campaigns;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A campaign, or a change to one, that Voxdesk does not take: a value out of range (400, naming the field), a
 * connection that cannot run campaigns or a selection without contacts (422), a change its state forbids (409).
 */
public class CampaignRefusedException extends ErrorResponseException {

	private CampaignRefusedException(HttpStatus status, String title, String detail, @Nullable String field) {
		super(status, problem(status, title, detail, field), null);
	}

	/** 400: one field's value is not accepted. */
	public static CampaignRefusedException invalid(String field, String detail) {
		return new CampaignRefusedException(HttpStatus.BAD_REQUEST, "Invalid campaign", detail, field);
	}

	/** 422: the campaign is well formed but cannot run as it is. */
	public static CampaignRefusedException unprocessable(String title, String detail) {
		return new CampaignRefusedException(HttpStatus.UNPROCESSABLE_CONTENT, title, detail, null);
	}

	/** 409: the campaign's state does not allow this now. */
	public static CampaignRefusedException conflict(String title, String detail) {
		return new CampaignRefusedException(HttpStatus.CONFLICT, title, detail, null);
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail, @Nullable String field) {
		var problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		if (field != null) {
			problem.setProperty("errors", List.of(Map.of("field", field, "message", detail)));
		}
		return problem;
	}
}
