package io.voxdesk.tenants.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.voxdesk.tenants.SecretCipher;
import io.voxdesk.tenants.SecretPurpose;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantLinkKeys;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The link keys in {@code tenant_link_keys}, kept in memory once read. */
@Component
class DefaultTenantLinkKeys implements TenantLinkKeys {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final SecretCipher cipher;

	private final TenantContext context;

	private final TransactionTemplate transactions;

	private final Map<Key, byte[]> keys = new ConcurrentHashMap<>();

	DefaultTenantLinkKeys(JdbcClient jdbc, SecretCipher cipher, TenantContext context,
			PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.context = context;
		// A key is made in a transaction of its own: links are often signed inside another transaction (a webhook's
		// outbox, a campaign's dial), whose rollback must not leave this instance signing with a key nobody stored.
		this.transactions = new TransactionTemplate(transactions);
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	@Override
	public byte[] current(SecretPurpose purpose) {
		return keys.computeIfAbsent(new Key(context.currentTenant(), purpose), this::load).clone();
	}

	private byte[] load(Key key) {
		var secret = transactions.execute(status -> {
			var fresh = new byte[32];
			RANDOM.nextBytes(fresh);
			// Two instances making the first key at once: the first insert wins and both read it back.
			jdbc.sql("insert into tenant_link_keys (tenant_id, purpose, secret, created_at) values (?, ?, ?, now()) "
					+ "on conflict (tenant_id, purpose) do nothing")
				.params(key.tenant().value(), key.purpose().value(),
						cipher.encrypt(key.purpose(), Base64.getEncoder().encodeToString(fresh)))
				.update();
			return jdbc.sql("select secret from tenant_link_keys where tenant_id = ? and purpose = ?")
				.params(key.tenant().value(), key.purpose().value())
				.query(String.class)
				.single();
		});
		return Base64.getDecoder().decode(cipher.decrypt(key.purpose(), secret));
	}

	private record Key(TenantId tenant, SecretPurpose purpose) {
	}
}
