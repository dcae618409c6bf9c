package io.voxdesk.webhooks;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How webhooks are delivered ({@code voxdesk.webhooks.*}).
 *
 * @param retrySchedule the waits before each retry after the first attempt (jittered by a fifth either way); the
 *     default spans a little over 24 hours, after which a delivery fails and, if nothing reached the endpoint
 *     meanwhile, the endpoint is disabled
 * @param connectTimeout how long to wait for the host's connection
 * @param timeout how long to wait for the host's whole answer
 * @param secretOverlap how long the previous signing secret still signs after a rotation
 * @param allowLoopbackHttp development only: plain {@code http} and loopback addresses accepted as targets
 * @param perEndpoint deliveries in flight at once to one endpoint
 * @param pollInterval how often due deliveries are looked for
 * @param keepFor how long delivered and failed deliveries stay in the log (their payloads hold personal data)
 * @param publicBaseUrl where hosts reach Voxdesk, for the links deliveries carry (a recording's download link)
 * @param recordingLinkLifetime how long the signed recording link in {@code call.recording_available} works (at most
 *     24 hours); a host that comes later downloads the recording through the API with a service account
 */
@ConfigurationProperties("voxdesk.webhooks")
public record WebhooksSettings(
		@DefaultValue({ "5s", "5m", "30m", "2h", "5h", "10h", "10h" }) List<Duration> retrySchedule,
		@DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration timeout,
		@DefaultValue("24h") Duration secretOverlap, @DefaultValue("false") boolean allowLoopbackHttp,
		@DefaultValue("4") int perEndpoint, @DefaultValue("500ms") Duration pollInterval,
		@DefaultValue("30d") Duration keepFor, @DefaultValue("http://localhost:8080") URI publicBaseUrl,
		@DefaultValue("1h") Duration recordingLinkLifetime) {

	public WebhooksSettings {
		// Checked at start-up: a link longer than any the media endpoint accepts would drop every message about one.
		if (recordingLinkLifetime.isNegative() || recordingLinkLifetime.isZero()
				|| recordingLinkLifetime.compareTo(Duration.ofHours(24)) > 0) {
			throw new IllegalArgumentException("voxdesk.webhooks.recording-link-lifetime must be more than nothing and "
					+ "at most 24h, not " + recordingLinkLifetime);
		}
	}
}
