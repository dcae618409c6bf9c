package io.voxdesk.audio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.regex.Pattern;

import io.voxdesk.audio.AudioId;
import io.voxdesk.audio.AudioKind;
import io.voxdesk.audio.AudioManagement;
import io.voxdesk.audio.AudioNotFoundException;
import io.voxdesk.audio.AudioUpload;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.tenants.TestTenants;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;

/**
 * Signed audio links against a clock the test moves: a link is one URL for the whole hour, lives to the end of the
 * next one and not a second longer, and checks against its tenant's own key only (a link of tenant A presented as
 * tenant B's fails, with the same item id and audience).
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class SignedLinksTests {

	static final Pattern PARTS = Pattern
		.compile(".*/media/audio/([a-z0-9-]+)/([0-9a-f-]{36})\\.wav\\?aud=([^&]+)&exp=([0-9]+)&sig=(.+)");

	/** A clock the test sets. */
	static final class MovableClock extends Clock {

		volatile Instant now = Instant.parse("2026-12-06T10:20:00Z");

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return now;
		}
	}

	static final MovableClock CLOCK = new MovableClock();

	@TestConfiguration
	static class Time {

		@Bean
		Clock clock() {
			return CLOCK;
		}
	}

	@Autowired
	SignedLinks links;

	@Autowired
	AudioManagement audio;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	TenantId tenant;

	TenantId other;

	AudioId item;

	/** Half a second of 8 kHz mono 16-bit silence as WAV. */
	static byte[] silence() {
		var buffer = ByteBuffer.allocate(44 + 8000).order(ByteOrder.LITTLE_ENDIAN);
		buffer.put("RIFF".getBytes()).putInt(36 + 8000).put("WAVE".getBytes());
		buffer.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000)
			.putShort((short) 2).putShort((short) 16);
		buffer.put("data".getBytes()).putInt(8000);
		return buffer.array();
	}

	@BeforeEach
	void audio() {
		CLOCK.now = Instant.parse("2026-12-06T10:20:00Z");
		var testTenants = new TestTenants(tenants, context);
		tenant = testTenants.create("ln", "Links");
		other = testTenants.create("lo", "Other");
		item = context.callAs(tenant, () -> audio.upload(new AudioUpload("hello", AudioKind.IVR_PROMPT, null),
				new ByteArrayInputStream(silence()))).id();
	}

	boolean accepted(TenantId as, String link) {
		var parts = PARTS.matcher(link);
		assertThat(parts.matches()).as(link).isTrue();
		return context.callAs(as, () -> links.valid(AudioId.of(UUID.fromString(parts.group(2))),
				URLDecoder.decode(parts.group(3), StandardCharsets.UTF_8), Long.parseLong(parts.group(4)),
				parts.group(5)));
	}

	String link() {
		return context.callAs(tenant, () -> links.link(item, "connection:c-1", URI.create("http://voxdesk.test:8080")))
			.toString();
	}

	@Test
	void aLinkIsTheSameAllHourAndLivesToTheEndOfTheNext() {
		var at1020 = link();
		CLOCK.now = Instant.parse("2026-12-06T10:59:59Z");
		assertThat(link()).isEqualTo(at1020);
		assertThat(at1020).startsWith("http://voxdesk.test:8080/media/audio/" + tenant + "/" + item + ".wav?")
			.contains("&exp=" + Instant.parse("2026-12-06T12:00:00Z").getEpochSecond());

		CLOCK.now = Instant.parse("2026-12-06T11:59:59Z");
		assertThat(accepted(tenant, at1020)).isTrue();
		CLOCK.now = Instant.parse("2026-12-06T12:00:00Z");
		assertThat(accepted(tenant, at1020)).as("expired").isFalse();
		assertThat(links.secondsLeft(Instant.parse("2026-12-06T12:00:00Z").getEpochSecond())).isZero();
	}

	@Test
	void aLinkChecksOnlyAgainstItsOwnTenantsKeyAndParts() {
		var link = link();

		assertThat(accepted(tenant, link)).isTrue();
		assertThat(accepted(other, link)).as("the same parts under another tenant's key").isFalse();
		assertThat(accepted(tenant, link.replace("aud=connection%3Ac-1", "aud=connection%3Ac-2"))).isFalse();
		var exp = Long.parseLong(link.replaceAll(".*&exp=([0-9]+).*", "$1"));
		assertThat(accepted(tenant, link.replace("&exp=" + exp, "&exp=" + (exp - 3600)))).isFalse();
	}

	@Test
	void noLinkIsMadeForAnotherTenantsAudioOrABadAudience() {
		assertThatThrownBy(() -> context.callAs(other,
				() -> links.link(item, "connection:c-1", URI.create("http://voxdesk.test:8080"))))
			.isInstanceOf(AudioNotFoundException.class);
		assertThatThrownBy(() -> context.callAs(tenant,
				() -> links.link(item, "connection c-1&x=y", URI.create("http://voxdesk.test:8080"))))
			.isInstanceOf(IllegalArgumentException.class);
		assertThat(Duration.ofSeconds(links.secondsLeft(Instant.parse("2026-12-06T11:00:00Z").getEpochSecond())))
			.isEqualTo(Duration.ofMinutes(40));
	}
}
