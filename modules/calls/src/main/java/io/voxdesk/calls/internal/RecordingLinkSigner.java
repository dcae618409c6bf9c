package io.voxdesk.calls.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.RecordingLinks;
import io.voxdesk.tenants.SecretCipher;
import io.voxdesk.tenants.SecretPurpose;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Signs and checks recording links: HMAC-SHA256 with the tenant's own link key over tenant, call and expiry. The key
 * is 32 random bytes made on first use and stored encrypted with the tenant's {@link SecretCipher}, so every instance
 * signs and checks alike and a restart breaks no link.
 */
@Service
class RecordingLinkSigner implements RecordingLinks {

	static final SecretPurpose PURPOSE = SecretPurpose.of("calls.recording-link-key");

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final SecretCipher cipher;

	private final TenantContext context;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final Map<TenantId, byte[]> keys = new ConcurrentHashMap<>();

	RecordingLinkSigner(JdbcClient jdbc, SecretCipher cipher, TenantContext context,
			PlatformTransactionManager transactions, Optional<Clock> clock) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.context = context;
		// The key is made in a transaction of its own: a link is often signed inside another transaction (a webhook's
		// outbox), whose rollback must not leave this instance signing with a key no other instance can read.
		this.transactions = new TransactionTemplate(transactions);
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
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
			mac.init(new SecretKeySpec(key(), "HmacSHA256"));
			var signed = mac.doFinal((tenant + "\n" + call + "\n" + expires).getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private byte[] key() {
		return keys.computeIfAbsent(context.currentTenant(), this::load);
	}

	private byte[] load(TenantId tenant) {
		var secret = transactions.execute(status -> {
			var fresh = new byte[32];
			RANDOM.nextBytes(fresh);
			// Two instances making the first key at once: the first insert wins and both read it back.
			jdbc.sql("insert into recording_link_keys (tenant_id, secret, created_at) values (?, ?, now()) "
					+ "on conflict (tenant_id) do nothing")
				.params(tenant.value(), cipher.encrypt(PURPOSE, Base64.getEncoder().encodeToString(fresh)))
				.update();
			return jdbc.sql("select secret from recording_link_keys where tenant_id = ?")
				.param(tenant.value())
				.query(String.class)
				.single();
		});
		return Base64.getDecoder().decode(cipher.decrypt(PURPOSE, secret));
	}
}
