package io.voxdesk.audio.internal;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.swagger.v3.oas.annotations.Operation;
import io.voxdesk.audio.AudioId;
import io.voxdesk.audio.AudioManagement;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.TenantStatus;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves audio to PBXs through signed links ({@link SignedLinks}); no token, no listing. Anything wrong with a link
 * (forged, expired, another tenant's, another item's) is the same 403, which tells a prober nothing. Items never
 * change, so the item's id is its ETag and a PBX revalidating its cache gets a 304.
 */
@RestController
class MediaController {

	private static final Logger log = LoggerFactory.getLogger(MediaController.class);

	private final SignedLinks links;

	private final AudioManagement audio;

	private final TenantContext context;

	private final TenantManagement tenants;

	MediaController(SignedLinks links, AudioManagement audio, TenantContext context, TenantManagement tenants) {
		this.links = links;
		this.audio = audio;
		this.context = context;
		this.tenants = tenants;
	}

	@GetMapping("/media/audio/{tenant}/{id}.wav")
	@Operation(summary = "An audio item for a PBX, through a link Voxdesk signed for one of the tenant's connections")
	ResponseEntity<Resource> media(@PathVariable String tenant, @PathVariable UUID id, @RequestParam String aud,
			@RequestParam long exp, @RequestParam String sig,
			@RequestHeader(name = "If-None-Match", required = false) @Nullable String ifNoneMatch) {
		if (!TenantId.isValid(tenant)) {
			throw refused();
		}
		var item = AudioId.of(id);
		return context.callAs(TenantId.of(tenant), () -> {
			var active = tenants.status(TenantId.of(tenant)).filter(status -> status == TenantStatus.ACTIVE).isPresent();
			if (!active || !links.valid(item, aud, exp, sig)) {
				log.info("Refused an audio link of tenant {} for {}: forged or expired", tenant, aud);
				throw refused();
			}
			var etag = "\"" + id + "\"";
			var cache = CacheControl.maxAge(links.secondsLeft(exp), TimeUnit.SECONDS).cachePrivate();
			if (etag.equals(ifNoneMatch)) {
				return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(cache).<Resource>build();
			}
			var resource = audio.open(item).orElseThrow(() -> {
				var problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "This audio no longer exists.");
				problem.setTitle("Audio not found");
				return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
			});
			return ResponseEntity.ok()
				.contentType(MediaType.parseMediaType("audio/wav"))
				.eTag(etag)
				.cacheControl(cache)
				.body(resource);
		});
	}

	private static ErrorResponseException refused() {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
				"This audio link is not valid: it was not made by Voxdesk for this audio, or it has expired.");
		problem.setTitle("Invalid audio link");
		return new ErrorResponseException(HttpStatus.FORBIDDEN, problem, null);
	}
}
