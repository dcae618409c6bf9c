package io.voxdesk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * A {@link JwtDecoder} that remembers each access token it verified until the token expires, so the signature
 * and claims of a client's token are checked once instead of on every request of its lifetime.
 * <p>
 * Only tokens the verifier accepted are kept, under their full text (signature included), so a token that differs
 * in a single character is verified afresh. A token is served from memory only before its {@code exp}; after that
 * it goes to the verifier again, which refuses it (allowing the verifier's own clock skew). Tokens without an
 * expiry are never kept. The memory is bounded: expired tokens go first, and when it is full of valid ones, Caffeine
 * evicts those least likely to be used again (their clients' next request verifies them once more). Its metrics are
 * Micrometer's {@code cache.*} tagged {@code voxdesk.security.verified-tokens}.
 */
final class VerifiedTokens implements JwtDecoder, MeterBinder {

	private final JwtDecoder verifier;

	private final Clock clock;

	private final Cache<String, Jwt> verified;

	VerifiedTokens(JwtDecoder verifier, int capacity, Clock clock) {
		if (capacity < 0) {
			throw new IllegalArgumentException("The number of verified tokens kept cannot be negative: " + capacity);
		}
		this.verifier = verifier;
		this.clock = clock;
		this.verified = Caffeine.newBuilder()
			.maximumSize(capacity)
			.expireAfter(Expiry.creating((String token, Jwt jwt) -> untilExpiry(jwt)))
			.ticker(() -> {
				var now = clock.instant();
				return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
			})
			// Upkeep on the calling thread: what is evicted or expired is gone when the call returns.
			.executor(Runnable::run)
			.recordStats()
			.build();
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		var now = clock.instant();
		var known = verified.getIfPresent(token);
		if (known != null && stillValid(known, now)) {
			return known;
		}
		var jwt = verifier.decode(token);
		if (stillValid(jwt, now)) {
			verified.put(token, jwt);
		}
		return jwt;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		CaffeineCacheMetrics.monitor(registry, verified, "voxdesk.security.verified-tokens");
	}

	/** How many verified tokens are kept now. */
	long size() {
		verified.cleanUp();
		return verified.estimatedSize();
	}

	private Duration untilExpiry(Jwt jwt) {
		var expiresAt = jwt.getExpiresAt();
		var left = expiresAt == null ? Duration.ZERO : Duration.between(clock.instant(), expiresAt);
		return left.isNegative() ? Duration.ZERO : left;
	}

	private static boolean stillValid(Jwt jwt, Instant now) {
		var expiresAt = jwt.getExpiresAt();
		return expiresAt != null && now.isBefore(expiresAt);
	}
}
