package io.voxdesk.audio.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.voxdesk.audio.AudioId;
import io.voxdesk.audio.AudioLinks;
import io.voxdesk.audio.AudioNotFoundException;
import io.voxdesk.tenants.SecretPurpose;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantLinkKeys;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Signs and checks audio links: HMAC-SHA256 with the tenant's audio link key ({@link TenantLinkKeys}) over tenant,
 * item, audience and expiry. A link
 * expires at the end of the hour after the one it was made in, so links made within the same hour are the same URL
 * and the PBX's media cache (keyed by the whole URL) serves a whole hour of calls from one download.
 */
@Service
class SignedLinks implements AudioLinks {

	static final Pattern AUDIENCE = Pattern.compile("[A-Za-z0-9:._-]{1,100}");

	/** The longest a link lives: to the end of the next hour. */
	static final Duration LONGEST = Duration.ofHours(2);

	/** What the audio links' key is kept for, with the tenant's key. */
	static final SecretPurpose KEY = SecretPurpose.of("audio.link-key");

	private final TenantLinkKeys keys;

	private final AudioItems items;

	private final TenantContext context;

	private final TransactionTemplate reading;

	private final Clock clock;

	SignedLinks(TenantLinkKeys keys, AudioItems items, TenantContext context, PlatformTransactionManager transactions,
			Optional<Clock> clock) {
		this.keys = keys;
		this.items = items;
		this.context = context;
		this.reading = new TransactionTemplate(transactions);
		this.reading.setReadOnly(true);
		this.clock = clock.orElse(Clock.systemUTC());
	}

	@Override
	public URI link(AudioId audio, String audience, URI baseUrl) {
		if (!AUDIENCE.matcher(audience).matches()) {
			throw new IllegalArgumentException("An audio link's audience is 1 to 100 of A-Z a-z 0-9 : . _ -");
		}
		if (!Boolean.TRUE.equals(reading.execute(status -> items.existsById(audio.value())))) {
			throw new AudioNotFoundException(audio);
		}
		var hour = clock.instant().getEpochSecond() / 3600;
		var expires = (hour + 2) * 3600;
		var tenant = context.currentTenant().value();
		var base = baseUrl.toString().replaceAll("/+$", "");
		return URI.create(base + "/media/audio/" + tenant + "/" + audio + ".wav?aud="
				+ URLEncoder.encode(audience, StandardCharsets.UTF_8) + "&exp=" + expires + "&sig="
				+ signature(tenant, audio.toString(), audience, expires));
	}

	/**
	 * Whether a link's parts are the current tenant's own signature for them, and it has not expired (nor claims
	 * to live longer than any link does). Compared in constant time.
	 */
	boolean valid(AudioId audio, String audience, long expires, String signature) {
		var now = clock.instant().getEpochSecond();
		if (expires <= now || expires > now + LONGEST.toSeconds() || !AUDIENCE.matcher(audience).matches()) {
			return false;
		}
		var expected = signature(context.currentTenant().value(), audio.toString(), audience, expires);
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				signature.getBytes(StandardCharsets.US_ASCII));
	}

	/** Seconds until the link expires, what the PBX may cache it for. */
	long secondsLeft(long expires) {
		return Math.max(0, expires - clock.instant().getEpochSecond());
	}

	private String signature(String tenant, String audio, String audience, long expires) {
		try {
			var mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(keys.current(KEY), "HmacSHA256"));
			var signed = mac.doFinal((tenant + "\n" + audio + "\n" + audience + "\n" + expires)
				.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
