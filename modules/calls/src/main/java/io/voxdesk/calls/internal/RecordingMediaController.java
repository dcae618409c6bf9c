package io.voxdesk.calls.internal;

import java.io.IOException;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.voxdesk.calls.CallId;
import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.TenantStatus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves a call's recording through a link Voxdesk signed ({@link RecordingLinkSigner}), without a token. Anything
 * wrong with a link (forged, expired, another tenant's or another call's) is the same 403, which tells a prober
 * nothing; every download is audited as made through a signed link.
 */
@RestController
class RecordingMediaController {

	private static final Logger log = LoggerFactory.getLogger(RecordingMediaController.class);

	/** Who the audit log names for a download through a link: whoever holds it, as no token says more. */
	static final Actor LINK_HOLDER = new Actor("signed-link", "holder of a signed link");

	private final RecordingLinkSigner links;

	private final CallControl calls;

	private final TenantContext context;

	private final TenantManagement tenants;

	RecordingMediaController(RecordingLinkSigner links, CallControl calls, TenantContext context,
			TenantManagement tenants) {
		this.links = links;
		this.calls = calls;
		this.context = context;
		this.tenants = tenants;
	}

	@GetMapping("/media/recordings/{tenant}/{call}")
	@Operation(summary = "A call's recording, through a short-lived link Voxdesk signed (call.recording_available)")
	ResponseEntity<Resource> recording(@PathVariable String tenant, @PathVariable UUID call, @RequestParam long exp,
			@RequestParam String sig, @RequestHeader HttpHeaders headers) throws IOException {
		if (!TenantId.isValid(tenant)) {
			throw refused();
		}
		var id = CallId.of(call);
		try (var bound = context.bind(TenantId.of(tenant), LINK_HOLDER)) {
			var active = tenants.status(TenantId.of(tenant)).filter(status -> status == TenantStatus.ACTIVE).isPresent();
			if (!active || !links.valid(id, exp, sig)) {
				log.info("Refused a recording link of tenant {}: forged or expired", tenant);
				throw refused();
			}
			var recording = calls.recording(id, CurrentUser.SYSTEM, false).orElseThrow(() -> {
				var problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "This recording no longer exists.");
				problem.setTitle("Recording not found");
				return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
			});
			return RecordingDownloads.send(id, recording, headers, CacheControl.noStore(), calls::recordingServed);
		}
	}

	private static ErrorResponseException refused() {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
				"This recording link is not valid: it was not made by Voxdesk for this call, or it has expired.");
		problem.setTitle("Invalid recording link");
		return new ErrorResponseException(HttpStatus.FORBIDDEN, problem, null);
	}
}
