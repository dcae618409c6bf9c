package io.voxdesk;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

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
 * expiry are never kept. The memory is bounded: when it is full, expired tokens are dropped, and if that is not
 * enough, all of them.
 */
final class VerifiedTokens implements JwtDecoder {

	private final JwtDecoder verifier;

	private final int capacity;

	private final Clock clock;

	private final ConcurrentHashMap<String, Jwt> verified = new ConcurrentHashMap<>();

	VerifiedTokens(JwtDecoder verifier, int capacity, Clock clock) {
		if (capacity < 0) {
			throw new IllegalArgumentException("The number of verified tokens kept cannot be negative: " + capacity);
		}
		this.verifier = verifier;
		this.capacity = capacity;
		this.clock = clock;
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		var now = clock.instant();
		var known = verified.get(token);
		if (known != null) {
			if (stillValid(known, now)) {
				return known;
			}
			verified.remove(token, known);
		}
		var jwt = verifier.decode(token);
		if (capacity > 0 && stillValid(jwt, now)) {
			if (verified.size() >= capacity) {
				verified.values().removeIf(kept -> !stillValid(kept, now));
				if (verified.size() >= capacity) {
					verified.clear();
				}
			}
			verified.put(token, jwt);
		}
		return jwt;
	}

	/** How many verified tokens are kept now. */
	int size() {
		return verified.size();
	}

	private static boolean stillValid(Jwt jwt, Instant now) {
		var expiresAt = jwt.getExpiresAt();
		return expiresAt != null && now.isBefore(expiresAt);
	}
}
