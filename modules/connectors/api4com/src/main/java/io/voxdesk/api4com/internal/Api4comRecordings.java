package io.voxdesk.api4com.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.voxdesk.api4com.Api4comSettings;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.spi.CallReports;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Copies API4COM's recordings into Voxdesk's recording store. The link in a webhook expires within hours (the one
 * in the call records lasts about 90 days), so it is fetched as soon as it is known, beside the webhook's answer.
 * API4COM serves recordings without credentials, so the token is never sent with them, and only links on
 * API4COM's hosts are followed.
 */
@Component
class Api4comRecordings implements AutoCloseable, MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(Api4comRecordings.class);

	private static final Duration DOWNLOAD = Duration.ofMinutes(2);

	private final CallReports calls;

	private final TenantContext context;

	private final Api4comSettings settings;

	private final HttpClient client;

	/** Observed like every client of the application; follows no redirect (the link's host was checked). */
	private final RestClient downloads;

	private final ExecutorService executor = Executors.newFixedThreadPool(2,
			Thread.ofPlatform().name("api4com-recordings-", 0).daemon().factory());

	Api4comRecordings(CallReports calls, TenantContext context, Api4comSettings settings, RestClient.Builder builder) {
		this.calls = calls;
		this.context = context;
		this.settings = settings;
		this.client = HttpClient.newBuilder()
			.connectTimeout(settings.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		var factory = new JdkClientHttpRequestFactory(client);
		factory.setReadTimeout(DOWNLOAD);
		this.downloads = builder.clone().requestFactory(factory).build();
	}

	/** Whether the link points at one of API4COM's hosts. */
	boolean followable(String url) {
		try {
			var uri = URI.create(url);
			var host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
			return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && settings.recordingHosts()
				.stream()
				.map(allowed -> allowed.strip().toLowerCase(Locale.ROOT))
				.anyMatch(allowed -> !allowed.isEmpty() && (host.equals(allowed) || host.endsWith("." + allowed)));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/** Fetches and stores the recording in the background. */
	void fetchLater(TenantId tenant, CallId call, String url) {
		if (!followable(url)) {
			log.warn("Call {}: not fetching a recording from a link outside API4COM's hosts {}", call,
					settings.recordingHosts());
			return;
		}
		executor.execute(() -> fetch(tenant, call, url));
	}

	private void fetch(TenantId tenant, CallId call, String url) {
		try {
			downloads.get().uri(URI.create(url)).exchange((request, response) -> {
				var status = response.getStatusCode().value();
				if (status == 403 || status == 404) {
					log.info("Call {}: API4COM's recording link has expired (HTTP {})", call, status);
					return null;
				}
				if (status / 100 != 2) {
					log.warn("Call {}: fetching the recording failed: HTTP {}", call, status);
					return null;
				}
				var format = URI.create(url).getPath().toLowerCase(Locale.ROOT).endsWith(".wav") ? "wav" : "mp3";
				try (InputStream audio = response.getBody()) {
					context.runAs(tenant, () -> attach(call, format, audio));
				}
				log.info("Call {}: recording stored", call);
				return null;
			});
		}
		catch (RuntimeException ex) {
			log.warn("Call {}: fetching the recording failed: {}", call, ex.getClass().getSimpleName());
		}
	}

	private void attach(CallId call, String format, InputStream audio) {
		try {
			calls.attachRecording(call, format, audio);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Storing the recording failed: " + ex.getMessage(), ex);
		}
	}

	/** Its downloads' pool as {@code executor.*} metrics named {@code voxdesk.api4com.recordings}. */
	@Override
	public void bindTo(MeterRegistry registry) {
		new ExecutorServiceMetrics(executor, "voxdesk.api4com.recordings", List.of()).bindTo(registry);
	}

	@Override
	public void close() {
		executor.shutdownNow();
		client.close();
	}
}
