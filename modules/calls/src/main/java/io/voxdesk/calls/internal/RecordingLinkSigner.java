package io.voxdesk.calls.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.RecordingLinks;
import io.voxdesk.tenants.SecretPurpose;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantLinkKeys;

import org.springframework.stereotype.Service;

/**
 * Signs and checks recording links: HMAC-SHA256 with the tenant's recording link key ({@link TenantLinkKeys}) over
 * tenant, call and expiry.
 */
@Service
class RecordingLinkSigner implements RecordingLinks {

	static final SecretPurpose PURPOSE = SecretPurpose.of("calls.recording-link-key");

	private final TenantLinkKeys keys;

	private final TenantContext context;

	private final Clock clock;

	RecordingLinkSigner(TenantLinkKeys keys, TenantContext context, Optional<Clock> clock) {
		this.keys = keys;
		this.context = context;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	@Override
	public SignedLink link(CallId call, Duration lifetime) {
		if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(LONGEST) > 0) {
			throw new IllegalArgumentException("A recording link lives more than nothing and at most " + LONGEST);
		}
		var tenant = context.currentTenant().value();
		var expires = clock.instant().plus(lifetime).getEpochSecond();
		return new SignedLink("/media/recordings/" + tenant + "/" + call + "?exp=" + expires + "&sig="
				+ signature(tenant, call, expires), Instant.ofEpochSecond(expires));
	}

	/** Whether the signature is the current tenant's for this call and expiry, and the link still lives. */
	boolean valid(CallId call, long expires, String signature) {
		var now = clock.instant().getEpochSecond();
		if (expires <= now || expires > now + LONGEST.toSeconds()) {
			return false;
		}
		var expected = signature(context.currentTenant().value(), call, expires);
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				signature.getBytes(StandardCharsets.US_ASCII));
	}

	private String signature(String tenant, CallId call, long expires) {
		try {
			var mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(keys.current(PURPOSE), "HmacSHA256"));
			var signed = mac.doFinal((tenant + "\n" + call + "\n" + expires).getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
