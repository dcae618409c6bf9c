package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import io.voxdesk.testing.TestDatabase;
import io.voxdesk.testing.VoxdeskTestInfrastructure;

import org.jasypt.encryption.pbe.PooledPBEStringEncryptor;
import org.jasypt.encryption.pbe.config.SimpleStringPBEConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Start-up checks of the master key configuration, with real application starts against the test database. */
@ExtendWith(OutputCaptureExtension.class)
class StartupTests {

	/** A master key version no other test uses, so these starts own its check value. */
	static final int VERSION = 9;

	@Test
	void aJasyptEncryptedMasterKeyWorksAndAWrongMasterKeyStopsTheStartWithAClearMessage(CapturedOutput output) {
		var key = VoxdeskTestInfrastructure.randomKey();
		var password = VoxdeskTestInfrastructure.randomKey();

		start(Map.of("voxdesk.tenants.master-keys." + VERSION, key)).close();
		start(Map.of("voxdesk.tenants.master-keys." + VERSION, "ENC(" + jasypt(password, key) + ")",
				"jasypt.encryptor.password", password)).close();

		var wrong = VoxdeskTestInfrastructure.randomKey();
		assertThatThrownBy(() -> start(Map.of("voxdesk.tenants.master-keys." + VERSION, wrong)).close())
			.hasStackTraceContaining("Master key version " + VERSION + " is not the key this database was set up with");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("openssl rand -base64 32");
	}

	@Test
	void theJsonLogsProfileWritesStructuredLinesWithoutSecrets(CapturedOutput output) throws Exception {
		var key = VoxdeskTestInfrastructure.randomKey();

		start(Map.of("spring.profiles.active", "json-logs", "voxdesk.tenants.master-keys." + (VERSION + 1), key)).close();

		var lines = output.getOut().lines().filter(line -> line.startsWith("{")).toList();
		assertThat(lines).isNotEmpty();
		var json = tools.jackson.databind.json.JsonMapper.builder().build();
		for (var line : lines) {
			var entry = json.readTree(line);
			assertThat(entry.has("@timestamp")).as(line).isTrue();
			assertThat(entry.has("log.level") || entry.path("log").has("level")).as(line).isTrue();
		}
		assertThat(output.getAll()).doesNotContain(key)
			.doesNotContain(VoxdeskTestInfrastructure.MASTER_KEY)
			.doesNotContain(TestDatabase.get().appPassword());
	}

	private static org.springframework.context.ConfigurableApplicationContext start(Map<String, String> extra) {
		var properties = new HashMap<String, Object>(VoxdeskTestInfrastructure.properties());
		properties.put("server.port", "0");
		properties.put("voxdesk.tenants.active-master-key", "1");
		properties.putAll(extra);
		var arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
		return new SpringApplicationBuilder(VoxdeskApplication.class).run(arguments);
	}

	private static String jasypt(String password, String value) {
		var config = new SimpleStringPBEConfig();
		config.setPassword(password);
		config.setAlgorithm("PBEWITHHMACSHA512ANDAES_256");
		config.setKeyObtentionIterations("1000");
		config.setPoolSize("1");
		config.setSaltGeneratorClassName("org.jasypt.salt.RandomSaltGenerator");
		config.setIvGeneratorClassName("org.jasypt.iv.RandomIvGenerator");
		config.setStringOutputType("base64");
		var encryptor = new PooledPBEStringEncryptor();
		encryptor.setConfig(config);
		return encryptor.encrypt(value);
	}
}
