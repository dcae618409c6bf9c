package io.voxdesk.audio.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.voxdesk.tenants.SecretCipher;
import io.voxdesk.tenants.SecretPurpose;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each tenant's key for signing audio links: 32 random bytes made on first use, stored encrypted with the tenant's
 * {@link SecretCipher}, so every instance signs and checks alike and a restart breaks no link; kept in memory once read.
 */
@Component
class LinkKeys {

	static final SecretPurpose PURPOSE = SecretPurpose.of("audio.link-key");

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final SecretCipher cipher;

	private final TenantContext context;

	private final TransactionTemplate transactions;

	private final Map<TenantId, byte[]> keys = new ConcurrentHashMap<>();

	LinkKeys(JdbcClient jdbc, SecretCipher cipher, TenantContext context, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.context = context;
		this.transactions = new TransactionTemplate(transactions);
	}

	/** The current tenant's key. */
	byte[] current() {
		var tenant = context.currentTenant();
		return keys.computeIfAbsent(tenant, this::load).clone();
	}

	private byte[] load(TenantId tenant) {
		var secret = transactions.execute(status -> {
			var fresh = new byte[32];
			RANDOM.nextBytes(fresh);
			// Two instances making the first key at once: the first insert wins and both read it back.
			jdbc.sql("insert into audio_link_keys (tenant_id, secret, created_at) values (?, ?, now()) "
					+ "on conflict (tenant_id) do nothing")
				.params(tenant.value(), cipher.encrypt(PURPOSE, Base64.getEncoder().encodeToString(fresh)))
				.update();
			return jdbc.sql("select secret from audio_link_keys where tenant_id = ?")
				.param(tenant.value())
				.query(String.class)
				.single();
		});
		return Base64.getDecoder().decode(cipher.decrypt(PURPOSE, secret));
	}
}
