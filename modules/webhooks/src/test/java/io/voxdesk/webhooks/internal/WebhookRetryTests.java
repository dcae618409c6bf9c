package io.voxdesk.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** When a failed delivery is tried again: the schedule with jitter, and never sooner than the host asked. */
class WebhookRetryTests {

	@Test
	void retryAfterIsReadAsSecondsOrAsADate() {
		var now = java.time.Instant.parse("2026-12-07T10:00:00Z");
		assertThat(WebhookDispatcher.retryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
		assertThat(WebhookDispatcher.retryAfter("Mon, 07 Dec 2026 10:05:00 GMT", now)).isEqualTo(Duration.ofMinutes(5));
		assertThat(WebhookDispatcher.retryAfter("soon", now)).isNull();
		assertThat(WebhookDispatcher.nextWait(Duration.ofSeconds(10), Duration.ofHours(48))).isEqualTo(Duration.ofHours(24));
		assertThat(WebhookDispatcher.nextWait(Duration.ofSeconds(10), null)).isBetween(Duration.ofSeconds(8),
				Duration.ofSeconds(12));
	}
}
