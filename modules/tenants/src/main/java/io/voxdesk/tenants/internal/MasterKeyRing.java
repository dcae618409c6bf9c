package io.voxdesk.tenants.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.subtle.Random;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The master keys from configuration, by version. At start-up each one is checked against a value it
 * encrypted earlier, so a wrong key stops the application instead of corrupting tenant keys.
 */
@Component
class MasterKeyRing {

	private static final int KEY_BYTES = 32;

	private final Map<Integer, Aead> keys;

	private final int active;

	MasterKeyRing(TenantsSettings settings, JdbcClient jdbc) {
		this.keys = parse(settings.masterKeys());
		this.active = settings.activeMasterKey() != null ? settings.activeMasterKey()
				: Collections.max(keys.keySet());
		if (!keys.containsKey(active)) {
			throw new MasterKeyException("voxdesk.tenants.active-master-key is " + active
					+ " but no master key of that version is configured (configured: " + keys.keySet() + ")");
		}
		keys.forEach((version, key) -> verify(jdbc, version, key));
	}

	int activeVersion() {
		return active;
	}

	byte[] wrap(int version, byte[] plaintext, byte[] associatedData) {
		try {
			return key(version).encrypt(plaintext, associatedData);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("Could not wrap a key under master key version " + version, e);
		}
	}

	byte[] unwrap(int version, byte[] wrapped, byte[] associatedData) throws GeneralSecurityException {
		return key(version).decrypt(wrapped, associatedData);
	}

	private Aead key(int version) {
		var key = keys.get(version);
		if (key == null) {
			throw new MasterKeyException("Master key version " + version + " wraps stored tenant keys but is not "
					+ "configured: add voxdesk.tenants.master-keys." + version + " back");
		}
		return key;
	}

	private static Map<Integer, Aead> parse(Map<Integer, String> configured) {
		if (configured == null || configured.isEmpty()) {
			throw new MasterKeyException("No master key is configured, so tenant secrets cannot be encrypted");
		}
		var parsed = new TreeMap<Integer, Aead>();
		configured.forEach((version, encoded) -> {
			byte[] bytes;
			try {
				bytes = Base64.getDecoder().decode(encoded.trim());
			}
			catch (IllegalArgumentException e) {
				throw new MasterKeyException("Master key version " + version + " is not valid base64");
			}
			if (bytes.length != KEY_BYTES) {
				throw new MasterKeyException("Master key version " + version + " is " + bytes.length
						+ " bytes long; it must be 32 bytes (AES-256)");
			}
			try {
				parsed.put(version, new AesGcmJce(bytes));
			}
			catch (GeneralSecurityException e) {
				throw new MasterKeyException("Master key version " + version + " is unusable: " + e.getMessage());
			}
		});
		return parsed;
	}

	private static void verify(JdbcClient jdbc, int version, Aead key) {
		var associatedData = ("voxdesk:master-key-check:" + version).getBytes(StandardCharsets.UTF_8);
		try {
			jdbc.sql("insert into master_key_checks (version, check_value, created_at) values (?, ?, ?) "
					+ "on conflict (version) do nothing")
				.params(version, key.encrypt(Random.randBytes(16), associatedData), Timestamp.from(Instant.now()))
				.update();
			var stored = jdbc.sql("select check_value from master_key_checks where version = ?")
				.param(version)
				.query(byte[].class)
				.single();
			key.decrypt(stored, associatedData);
		}
		catch (GeneralSecurityException e) {
			throw new MasterKeyException("Master key version " + version + " is not the key this database was "
					+ "set up with: it cannot decrypt the check value stored for that version, so it would not "
					+ "decrypt any tenant key either");
		}
	}
}
