package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * The verified-token memory in front of a real Nimbus decoder with an RSA key: it saves the repeated check of a
 * valid token, and lets nothing through that the decoder would refuse.
 */
class VerifiedTokensTests {

	static final KeyPair KEYS = rsaKeys();

	static final KeyPair OTHER_KEYS = rsaKeys();

	final Instant start = Instant.parse("2026-12-02T10:00:00Z");

	final MovableClock clock = new MovableClock(start);

	final AtomicInteger verifications = new AtomicInteger();

	JwtDecoder verifier;

	@BeforeEach
	void realDecoder() {
		var decoder = NimbusJwtDecoder.withPublicKey((RSAPublicKey) KEYS.getPublic()).build();
		var timestamps = new JwtTimestampValidator(Duration.ZERO);
		timestamps.setClock(clock);
		decoder.setJwtValidator(timestamps);
		verifier = token -> {
			verifications.incrementAndGet();
			return decoder.decode(token);
		};
	}

	@Test
	void aValidTokenIsVerifiedOnceAndThenServedFromMemoryUntilItExpires() {
		var tokens = new VerifiedTokens(verifier, 100, clock);
		var token = token(KEYS, "agent", start.plusSeconds(300));

		assertThat(tokens.decode(token).getSubject()).isEqualTo("agent");
		clock.advance(Duration.ofSeconds(299));
		assertThat(tokens.decode(token).getSubject()).isEqualTo("agent");
		assertThat(verifications).hasValue(1);

		clock.advance(Duration.ofSeconds(2));
		assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtValidationException.class)
			.hasMessageContaining("expired");
		assertThat(verifications).hasValue(2);
		assertThat(tokens.size()).isZero();
	}

	@Test
	void aTokenWithATamperedPayloadOrAForeignSignatureIsCheckedAndRefusedEvenWhileTheGenuineOneIsKept() {
		var tokens = new VerifiedTokens(verifier, 100, clock);
		var genuine = token(KEYS, "agent", start.plusSeconds(300));
		tokens.decode(genuine);

		// The attack: keep the genuine signature, swap the payload for one naming another user.
		var parts = genuine.split("\\.");
		var forgedPayload = token(OTHER_KEYS, "admin", start.plusSeconds(300)).split("\\.")[1];
		var tampered = parts[0] + "." + forgedPayload + "." + parts[2];
		assertThatThrownBy(() -> tokens.decode(tampered)).isInstanceOf(BadJwtException.class);
		// And a well-formed token signed with a key that is not the issuer's.
		var foreign = token(OTHER_KEYS, "agent", start.plusSeconds(300));
		assertThatThrownBy(() -> tokens.decode(foreign)).isInstanceOf(BadJwtException.class);
		// Refused twice more: a refusal is never remembered.
		assertThatThrownBy(() -> tokens.decode(foreign)).isInstanceOf(BadJwtException.class);

		assertThat(verifications).hasValue(4);
		assertThat(tokens.size()).isEqualTo(1);
	}

	@Test
	void theMemoryNeverHoldsMoreThanItsCapacityAndDropsExpiredTokensFirst() {
		var tokens = new VerifiedTokens(verifier, 3, clock);
		var shortLived = token(KEYS, "short", start.plusSeconds(10));
		var first = token(KEYS, "first", start.plusSeconds(600));
		var second = token(KEYS, "second", start.plusSeconds(600));
		tokens.decode(shortLived);
		tokens.decode(first);
		tokens.decode(second);
		clock.advance(Duration.ofSeconds(20));

		tokens.decode(token(KEYS, "third", start.plusSeconds(600)));
		assertThat(tokens.size()).isEqualTo(3);
		tokens.decode(first);
		tokens.decode(second);
		assertThat(verifications).as("the two long-lived tokens stayed").hasValue(4);

		tokens.decode(token(KEYS, "fourth", start.plusSeconds(600)));
		assertThat(tokens.size()).as("full of valid tokens: one of them evicted, not all").isEqualTo(3);
	}

	@Test
	void hitsAndMissesAreMetrics() {
		var tokens = new VerifiedTokens(verifier, 10, clock);
		var meters = new SimpleMeterRegistry();
		tokens.bindTo(meters);
		var token = token(KEYS, "agent", start.plusSeconds(300));

		tokens.decode(token);
		tokens.decode(token);
		tokens.decode(token);

		assertThat(gets(meters, "hit")).isEqualTo(2);
		assertThat(gets(meters, "miss")).isEqualTo(1);
	}

	static double gets(SimpleMeterRegistry meters, String result) {
		return meters.get("cache.gets")
			.tag("cache", "voxdesk.security.verified-tokens")
			.tag("result", result)
			.functionCounter()
			.count();
	}

	@Test
	void withNoCapacityEveryRequestsTokenIsVerified() {
		var tokens = new VerifiedTokens(verifier, 0, clock);
		var token = token(KEYS, "agent", start.plusSeconds(300));
		tokens.decode(token);
		tokens.decode(token);
		assertThat(verifications).hasValue(2);
		assertThatThrownBy(() -> new VerifiedTokens(verifier, -1, clock)).isInstanceOf(IllegalArgumentException.class);
	}

	static String token(KeyPair keys, String subject, Instant expiresAt) {
		try {
			var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().subject(subject)
				.issueTime(Date.from(expiresAt.minusSeconds(600)))
				.expirationTime(Date.from(expiresAt))
				.build());
			jwt.sign(new RSASSASigner(keys.getPrivate()));
			return jwt.serialize();
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	static KeyPair rsaKeys() {
		try {
			var generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	/** A clock the test moves forward. */
	static final class MovableClock extends Clock {

		private Instant now;

		MovableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			now = now.plus(duration);
		}

		@Override
		public Instant instant() {
			return now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}
	}
}
