package io.voxdesk.tenants.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.subtle.Random;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import io.voxdesk.tenants.SecretCipher;
import io.voxdesk.tenants.SecretDecryptionException;
import io.voxdesk.tenants.SecretPurpose;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.internal.TenantDataKeys.WrappedKey;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Envelope encryption with a versioned AES-256-GCM data key per tenant, wrapped under the master key ring.
 * <p>
 * Ciphertext format: {@code vx1:<data key version>:<base64url(nonce | ciphertext | tag)>}. The associated
 * data binds the tenant and the purpose, so a value copied to another tenant or another purpose fails.
 * <p>
 * Unwrapped data keys are kept in memory for {@code voxdesk.tenants.data-key-cache-time} per tenant and version, so
 * decrypting usually needs neither the database nor the master key.
 */
@Component
class EnvelopeSecretCipher implements SecretCipher, MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(EnvelopeSecretCipher.class);

	private static final String FORMAT = "vx1";

	private static final int DATA_KEY_BYTES = 32;

	/** At most this many unwrapped keys are kept in memory; Caffeine evicts those least likely to be used again. */
	private static final int MAX_CACHED_KEYS = 10_000;

	private final TenantContext context;

	private final TenantDataKeys keys;

	private final MasterKeyRing masterKeys;

	/** Unwrapped data keys by tenant and version, with the wrapping they were read with. */
	private final Cache<KeyRef, CachedKey> unwrapped;

	EnvelopeSecretCipher(TenantContext context, TenantDataKeys keys, MasterKeyRing masterKeys,
			TenantsSettings settings) {
		this.context = context;
		this.keys = keys;
		this.masterKeys = masterKeys;
		this.unwrapped = Caffeine.newBuilder()
			.expireAfterWrite(settings.dataKeyCacheTime())
			.maximumSize(settings.dataKeyCacheTime().isPositive() ? MAX_CACHED_KEYS : 0)
			.executor(Runnable::run)
			.recordStats()
			.build();
	}

	@Override
	@Transactional
	public String encrypt(SecretPurpose purpose, String plaintext) {
		var tenant = context.currentTenant();
		var key = keys.latest(tenant).orElseGet(() -> create(tenant, 1));
		try {
			var ciphertext = aead(tenant, key).encrypt(plaintext.getBytes(StandardCharsets.UTF_8),
					associatedData(tenant, purpose));
			return FORMAT + ":" + key.version() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(ciphertext);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("Could not encrypt a secret for tenant " + tenant, e);
		}
	}

	// Not transactional: with the data key in memory it needs no database, otherwise a single read.
	@Override
	public String decrypt(SecretPurpose purpose, String ciphertext) {
		var tenant = context.currentTenant();
		var parts = ciphertext.split(":", 3);
		if (parts.length != 3 || !FORMAT.equals(parts[0]) || !parts[1].matches("[1-9][0-9]{0,8}")) {
			throw new SecretDecryptionException("Not a Voxdesk ciphertext (expected vx1:<version>:<data>)");
		}
		var version = Integer.parseInt(parts[1]);
		var cached = unwrapped.getIfPresent(new KeyRef(tenant, version));
		if (cached != null) {
			var plaintext = decrypt(cached.aead(), parts[2], associatedData(tenant, purpose));
			if (plaintext != null) {
				return plaintext;
			}
			// Wrong data or a key that is no longer the stored one (its creation rolled back): ask the database.
		}
		var key = keys.find(tenant, version)
			.orElseThrow(() -> new SecretDecryptionException(
					"Tenant " + tenant + " has no data key version " + version + " for this secret"));
		var plaintext = decrypt(aead(tenant, key), parts[2], associatedData(tenant, purpose));
		if (plaintext == null) {
			throw new SecretDecryptionException("This secret was not encrypted for tenant " + tenant + " and purpose "
					+ purpose.value() + ", or it was altered");
		}
		return plaintext;
	}

	private static @Nullable String decrypt(Aead key, String data, byte[] associatedData) {
		try {
			return new String(key.decrypt(Base64.getUrlDecoder().decode(data), associatedData), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException e) {
			return null;
		}
	}

	/** Adds a new data-key version for the current tenant; new secrets use it from now on. */
	@Transactional
	public int rotate() {
		var tenant = context.currentTenant();
		var next = keys.latest(tenant).map(WrappedKey::version).orElse(0) + 1;
		var version = create(tenant, next).version();
		forget(tenant);
		return version;
	}

	/**
	 * Re-wraps the current tenant's data keys that an older master key wraps under the active one, so
	 * retired master keys can be removed from configuration.
	 *
	 * @return how many keys were re-wrapped.
	 */
	@Transactional
	public int rewrapUnderActiveMasterKey() {
		var tenant = context.currentTenant();
		var active = masterKeys.activeVersion();
		var stale = keys.wrappedUnderOtherThan(tenant, active);
		for (var key : stale) {
			var raw = unwrap(tenant, key);
			keys.rewrap(tenant, new WrappedKey(key.version(), active, masterKeys.wrap(active, raw, wrapAssociatedData(tenant, key.version()))));
		}
		if (!stale.isEmpty()) {
			forget(tenant);
			log.info("Re-wrapped {} data keys of tenant {} under master key version {}", stale.size(), tenant, active);
		}
		return stale.size();
	}

	/** Publishes the data key cache's metrics ({@code cache.*} tagged {@code voxdesk.tenants.data-keys}). */
	@Override
	public void bindTo(MeterRegistry registry) {
		CaffeineCacheMetrics.monitor(registry, unwrapped, "voxdesk.tenants.data-keys");
	}

	private WrappedKey create(TenantId tenant, int version) {
		var active = masterKeys.activeVersion();
		var raw = Random.randBytes(DATA_KEY_BYTES);
		var key = new WrappedKey(version, active, masterKeys.wrap(active, raw, wrapAssociatedData(tenant, version)));
		if (keys.insert(tenant, key)) {
			log.info("Created data key version {} for tenant {} under master key version {}", version, tenant, active);
			return key;
		}
		return keys.find(tenant, version).orElseThrow();
	}

	/** The key as stored now: the one in memory if it was read with the same wrapping, else unwrapped again. */
	private Aead aead(TenantId tenant, WrappedKey key) {
		var ref = new KeyRef(tenant, key.version());
		var cached = unwrapped.getIfPresent(ref);
		if (cached != null && cached.wraps(key)) {
			return cached.aead();
		}
		Aead aead;
		try {
			aead = new AesGcmJce(unwrap(tenant, key));
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("Data key of tenant " + tenant + " is unusable", e);
		}
		unwrapped.put(ref, new CachedKey(aead, key.masterKeyVersion(), key.wrappedKey()));
		return aead;
	}

	private void forget(TenantId tenant) {
		unwrapped.asMap().keySet().removeIf(ref -> ref.tenant().equals(tenant));
	}

	private byte[] unwrap(TenantId tenant, WrappedKey key) {
		try {
			return masterKeys.unwrap(key.masterKeyVersion(), key.wrappedKey(), wrapAssociatedData(tenant, key.version()));
		}
		catch (GeneralSecurityException e) {
			throw new SecretDecryptionException("Data key version " + key.version() + " of tenant " + tenant
					+ " does not decrypt under master key version " + key.masterKeyVersion(), e);
		}
	}

	private static byte[] associatedData(TenantId tenant, SecretPurpose purpose) {
		return ("voxdesk:secret:v1|" + tenant.value() + "|" + purpose.value()).getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] wrapAssociatedData(TenantId tenant, int version) {
		return ("voxdesk:tenant-key:v1|" + tenant.value() + "|" + version).getBytes(StandardCharsets.UTF_8);
	}

	/** A tenant's data key version: the tenant always comes from the current scope, never from the ciphertext. */
	private record KeyRef(TenantId tenant, int version) {
	}

	/** An unwrapped data key and the stored wrapping it came from. */
	private record CachedKey(Aead aead, int masterKeyVersion, byte[] wrappedKey) {

		boolean wraps(WrappedKey key) {
			return masterKeyVersion == key.masterKeyVersion() && Arrays.equals(wrappedKey, key.wrappedKey());
		}
	}
}
