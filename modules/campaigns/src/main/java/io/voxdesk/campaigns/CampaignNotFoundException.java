package io.voxdesk.campaigns;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The current tenant has no campaign with this id; answered as 404. */
public class CampaignNotFoundException extends ErrorResponseException {

	public CampaignNotFoundException(CampaignId id) {
		super(HttpStatus.NOT_FOUND, problem(id), null);
	}

	private static ProblemDetail problem(CampaignId id) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"There is no campaign " + id + " in your organization.");
		problem.setTitle("Campaign not found");
		return problem;
	}
}
