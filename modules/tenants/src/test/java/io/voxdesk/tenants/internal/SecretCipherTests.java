package io.voxdesk.tenants.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.voxdesk.tenants.SecretCipher;
import io.voxdesk.tenants.SecretDecryptionException;
import io.voxdesk.tenants.SecretPurpose;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.TestDatabase;
import io.voxdesk.testing.VoxdeskTestInfrastructure;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.transaction.support.TransactionTemplate;

/** Envelope encryption against the real database: binding, rotation of both key levels, wrong keys. */
@ApplicationModuleTest(webEnvironment = WebEnvironment.NONE)
class SecretCipherTests {

	static final SecretPurpose ARI_PASSWORD = SecretPurpose.of("asterisk.ari-password");

	static final SecretPurpose API4COM_TOKEN = SecretPurpose.of("api4com.token");

	@Autowired
	SecretCipher cipher;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	TenantDataKeys keys;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	TenantId alpha;

	TenantId beta;

	@BeforeEach
	void twoTenants() {
		alpha = TenantId.of("a-" + UUID.randomUUID().toString().substring(0, 8));
		beta = TenantId.of("b-" + UUID.randomUUID().toString().substring(0, 8));
		context.runAsPlatform(() -> {
			tenants.create(alpha, "Alpha");
			tenants.create(beta, "Beta");
		});
	}

	@Test
	void roundTripsAndNamesTheKeyVersion() {
		var ciphertext = context.callAs(alpha, () -> cipher.encrypt(ARI_PASSWORD, "s3cr3t-ári"));

		assertThat(ciphertext).startsWith("vx1:1:").doesNotContain("s3cr3t");
		assertThat(context.callAs(alpha, () -> cipher.decrypt(ARI_PASSWORD, ciphertext))).isEqualTo("s3cr3t-ári");
	}

	@Test
	void theSameSecretEncryptsDifferentlyEachTime() {
		var first = context.callAs(alpha, () -> cipher.encrypt(ARI_PASSWORD, "same"));
		var second = context.callAs(alpha, () -> cipher.encrypt(ARI_PASSWORD, "same"));

		assertThat(first).isNotEqualTo(second);
	}

	@Test
	void noPlaintextReachesTheDatabase() throws Exception {
		var plaintext = "plain-" + UUID.randomUUID();
		try (var owner = TestDatabase.get().ownerConnection(); var statement = owner.createStatement()) {
			statement.execute("create table if not exists test_secrets (tenant_id varchar(63), value text)");
			statement.execute("grant select, insert on test_secrets to " + TestDatabase.APP);
		}
		context.runAs(alpha, () -> transactions.executeWithoutResult(status -> jdbc
			.sql("insert into test_secrets values (?, ?)")
			.params(alpha.value(), cipher.encrypt(API4COM_TOKEN, plaintext))
			.update()));

		try (var owner = TestDatabase.get().ownerConnection(); var statement = owner.createStatement();
				var tables = statement.executeQuery("select tablename from pg_tables where schemaname = 'public'")) {
			var names = new java.util.ArrayList<String>();
			while (tables.next()) {
				names.add(tables.getString(1));
			}
			for (var table : names) {
				try (var scan = owner.createStatement();
						var rows = scan.executeQuery("select count(*) from " + table + " t where t::text like '%"
								+ plaintext + "%' or encode(convert_to(t::text, 'UTF8'), 'escape') like '%" + plaintext
								+ "%'")) {
					rows.next();
					assertThat(rows.getLong(1)).as("rows of %s holding the plaintext", table).isZero();
				}
			}
			try (var scan = owner.createStatement();
					var rows = scan.executeQuery("select count(*) from test_secrets where value like 'vx1:%'")) {
				rows.next();
				assertThat(rows.getLong(1)).isPositive();
			}
		}
	}

	@Test
	void aCiphertextCopiedToAnotherTenantDoesNotDecrypt() {
		var betas = context.callAs(beta, () -> cipher.encrypt(ARI_PASSWORD, "beta needs a key too"));
		var stolen = context.callAs(alpha, () -> cipher.encrypt(ARI_PASSWORD, "alpha's password"));
		// Both data keys (version 1 each) in memory: the cache must not hand alpha's key to beta.
		assertThat(context.callAs(alpha, () -> cipher.decrypt(ARI_PASSWORD, stolen))).isEqualTo("alpha's password");
		assertThat(context.callAs(beta, () -> cipher.decrypt(ARI_PASSWORD, betas))).isEqualTo("beta needs a key too");

		assertThatThrownBy(() -> context.runAs(beta, () -> cipher.decrypt(ARI_PASSWORD, stolen)))
			.isInstanceOf(SecretDecryptionException.class)
			.hasMessageContaining("not encrypted for tenant " + beta);
	}

	@Test
	void aCiphertextCopiedToAnotherPurposeDoesNotDecrypt() {
		var token = context.callAs(alpha, () -> cipher.encrypt(API4COM_TOKEN, "token"));

		assertThatThrownBy(() -> context.runAs(alpha, () -> cipher.decrypt(ARI_PASSWORD, token)))
			.isInstanceOf(SecretDecryptionException.class)
			.hasMessageContaining("purpose asterisk.ari-password");
	}

	@Test
	void aTamperedCiphertextDoesNotDecrypt() {
		var ciphertext = context.callAs(alpha, () -> cipher.encrypt(ARI_PASSWORD, "secret"));
		var at = ciphertext.length() - 8;
		var tampered = ciphertext.substring(0, at) + (ciphertext.charAt(at) == 'A' ? 'B' : 'A')
				+ ciphertext.substring(at + 1);

		assertThatThrownBy(() -> context.runAs(alpha, () -> cipher.decrypt(ARI_PASSWORD, tampered)))
			.isInstanceOf(SecretDecryptionException.class);
		assertThatThrownBy(() -> context.runAs(alpha, () -> cipher.decrypt(ARI_PASSWORD, "not a ciphertext")))
			.isInstanceOf(SecretDecryptionException.class);
	}

	@Test
	void afterTenantKeyRotationOldValuesDecryptAndNewOnesUseTheNewVersion() {
		var before = context.callAs(alpha, () -> cipher.encrypt(ARI_PASSWORD, "before"));
		assertThat(context.callAs(alpha, () -> cipher.decrypt(ARI_PASSWORD, before))).isEqualTo("before");

		var version = context.callAsPlatform(() -> tenants.rotateDataKey(alpha));
		var after = context.callAs(alpha, () -> cipher.encrypt(ARI_PASSWORD, "after"));

		assertThat(version).isEqualTo(2);
		assertThat(before).startsWith("vx1:1:");
		assertThat(after).startsWith("vx1:2:");
		assertThat(context.callAs(alpha, () -> cipher.decrypt(ARI_PASSWORD, before))).isEqualTo("before");
		assertThat(context.callAs(alpha, () -> cipher.decrypt(ARI_PASSWORD, after))).isEqualTo("after");
		var afterUnderTheOldVersion = "vx1:1:" + after.substring("vx1:2:".length());
		assertThatThrownBy(() -> context.runAs(alpha, () -> cipher.decrypt(ARI_PASSWORD, afterUnderTheOldVersion)))
			.as("version 2 is a new key, not the old one renamed")
			.isInstanceOf(SecretDecryptionException.class);
	}

	@Test
	void aDataKeyWhoseCreationRolledBackIsNotUsedFromMemory() {
		context.runAs(alpha, () -> transactions.executeWithoutResult(status -> {
			cipher.encrypt(ARI_PASSWORD, "never stored");
			status.setRollbackOnly();
		}));
		var otherInstance = cipher(Map.of(1, VoxdeskTestInfrastructure.MASTER_KEY), null);
		var stored = context.callAs(alpha, () -> otherInstance.encrypt(ARI_PASSWORD, "stored"));

		assertThat(stored).startsWith("vx1:1:");
		assertThat(context.callAs(alpha, () -> cipher.decrypt(ARI_PASSWORD, stored))).isEqualTo("stored");
		var again = context.callAs(alpha, () -> cipher.encrypt(ARI_PASSWORD, "again"));
		assertThat(context.callAs(alpha, () -> otherInstance.decrypt(ARI_PASSWORD, again))).isEqualTo("again");
	}

	@Test
	void afterMasterKeyRotationOldValuesDecryptNewKeysUseTheNewMasterAndRetiredMastersCanGo() {
		var oldMaster = VoxdeskTestInfrastructure.MASTER_KEY;
		var newMaster = VoxdeskTestInfrastructure.randomKey();
		var before = context.callAs(alpha, () -> cipher.encrypt(ARI_PASSWORD, "before"));

		var rotated = cipher(Map.of(1, oldMaster, 2, newMaster), 2);
		var newTenantKey = context.callAs(alpha, rotated::rotate);
		assertThat(masterVersionOf(alpha, newTenantKey)).isEqualTo(2);
		var after = context.callAs(alpha, () -> rotated.encrypt(ARI_PASSWORD, "after"));
		assertThat(context.callAs(alpha, () -> rotated.decrypt(ARI_PASSWORD, before))).isEqualTo("before");

		assertThat(context.callAs(alpha, rotated::rewrapUnderActiveMasterKey)).isEqualTo(1);
		assertThat(masterVersionOf(alpha, 1)).isEqualTo(2);

		var retired = cipher(Map.of(2, newMaster), null);
		assertThat(context.callAs(alpha, () -> retired.decrypt(ARI_PASSWORD, before))).isEqualTo("before");
		assertThat(context.callAs(alpha, () -> retired.decrypt(ARI_PASSWORD, after))).isEqualTo("after");
	}

	@Test
	void aWrongMasterKeyIsRefusedWithAClearMessage() {
		var wrong = VoxdeskTestInfrastructure.randomKey();

		assertThatThrownBy(() -> new MasterKeyRing(settings(Map.of(1, wrong), null), jdbc))
			.isInstanceOf(MasterKeyException.class)
			.hasMessageContaining("Master key version 1 is not the key this database was set up with");
	}

	@Test
	void missingOrMalformedMasterKeysAreRefusedWithAClearMessage() {
		assertThatThrownBy(() -> new MasterKeyRing(settings(Map.of(), null), jdbc))
			.hasMessageContaining("No master key is configured");
		assertThatThrownBy(() -> new MasterKeyRing(settings(Map.of(7, "dG9vIHNob3J0"), null), jdbc))
			.hasMessageContaining("Master key version 7 is 9 bytes long; it must be 32 bytes");
		assertThatThrownBy(() -> new MasterKeyRing(settings(Map.of(7, "***"), null), jdbc))
			.hasMessageContaining("not valid base64");
		assertThatThrownBy(() -> new MasterKeyRing(
				settings(Map.of(1, VoxdeskTestInfrastructure.MASTER_KEY), 3), jdbc))
			.hasMessageContaining("active-master-key is 3");
	}

	private EnvelopeSecretCipher cipher(Map<Integer, String> masterKeys, Integer active) {
		var settings = settings(masterKeys, active);
		return new EnvelopeSecretCipher(context, keys, new MasterKeyRing(settings, jdbc), settings);
	}

	private static TenantsSettings settings(Map<Integer, String> masterKeys, Integer active) {
		return new TenantsSettings(masterKeys, active, Duration.ofSeconds(5), Duration.ofMinutes(5));
	}

	private int masterVersionOf(TenantId tenant, int keyVersion) {
		return context.callAs(tenant, () -> transactions.execute(status -> keys.find(tenant, keyVersion)
			.orElseThrow()
			.masterKeyVersion()));
	}
}
