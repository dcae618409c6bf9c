package io.voxdesk.webhooks.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.voxdesk.tenants.SecretCipher;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.webhooks.WebhookEndpointDisabled;
import io.voxdesk.webhooks.WebhooksSettings;
import io.voxdesk.webhooks.internal.WebhookDeliveries.Attempt;
import io.voxdesk.webhooks.internal.WebhookDeliveries.Claimed;
import io.voxdesk.webhooks.internal.WebhookDeliveries.Outgoing;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends due deliveries: leases them (any instance may, none twice at once), signs each as Standard Webhooks says and
 * posts it on a virtual thread of its own with bounded timeouts, so that one slow host only ever holds its own
 * deliveries (at most {@code per-endpoint} at once) and never another's. A 2xx is delivered; a timeout, an unreachable
 * host, a 429 or a 5xx is tried again along the retry schedule with jitter, no sooner than the host's
 * {@code Retry-After}; any other answer fails at once. A delivery out of retries fails, and its endpoint is disabled
 * if nothing reached it meanwhile.
 */
@Component
class WebhookDispatcher implements DisposableBean, MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

	/** How much of a host's answer is read: the delivery log keeps the first 1 KB, the rest is not wanted. */
	static final int EXCERPT_BYTES = 1024;

	/** Deliveries in flight on this instance, over all endpoints. */
	private static final int IN_FLIGHT = 64;

	/** A host's Retry-After is honoured up to this, then the schedule goes on. */
	private static final Duration LONGEST_RETRY_AFTER = Duration.ofHours(24);

	private final WebhookDeliveries deliveries;

	private final WebhookEndpoints endpoints;

	private final WebhookTargets targets;

	private final SecretCipher cipher;

	private final TenantContext context;

	private final WebhooksSettings settings;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private volatile @Nullable MeterRegistry meters;

	private final Semaphore slots = new Semaphore(IN_FLIGHT);

	private final ExecutorService senders = Executors.newThreadPerTaskExecutor(
			Thread.ofVirtual().name("webhook-", 0).factory());

	private final HttpClient http;

	WebhookDispatcher(WebhookDeliveries deliveries, WebhookEndpoints endpoints, WebhookTargets targets,
			SecretCipher cipher, TenantContext context, WebhooksSettings settings, ApplicationEventPublisher events,
			PlatformTransactionManager transactions, Optional<Clock> clock) {
		this.deliveries = deliveries;
		this.endpoints = endpoints;
		this.targets = targets;
		this.cipher = cipher;
		this.context = context;
		this.settings = settings;
		this.events = events;
		this.transaction = new TransactionTemplate(transactions);
		this.clock = clock.orElse(Clock.systemUTC());
		this.http = HttpClient.newBuilder()
			.connectTimeout(settings.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.executor(senders)
			.build();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		meters = registry;
	}

	@Scheduled(fixedDelayString = "${voxdesk.webhooks.poll-interval:500ms}")
	void sendDue() {
		var free = slots.availablePermits();
		if (free == 0) {
			return;
		}
		// Leased for longer than an attempt can take (connecting, the answer, its body), so no other instance makes it
		// meanwhile; an outcome written after the lease ended is dropped anyway.
		var lease = (int) (settings.connectTimeout().plus(settings.timeout().multipliedBy(2)).toSeconds() + 30);
		for (var claimed : deliveries.claim(free, settings.perEndpoint(), lease)) {
			slots.acquireUninterruptibly();
			try {
				senders.execute(() -> {
					try {
						context.runAs(claimed.tenant(), () -> attempt(claimed));
					}
					catch (RuntimeException ex) {
						log.error("Webhook delivery {} failed inside Voxdesk; it is tried again when its lease ends",
								claimed.id(), ex);
					}
					finally {
						slots.release();
					}
				});
			}
			catch (RuntimeException ex) {
				slots.release();
				throw ex;
			}
		}
	}

	private void attempt(Claimed claimed) {
		var outgoing = deliveries.outgoing(claimed.id()).orElse(null);
		if (outgoing == null || !outgoing.state().equals(WebhookDeliveries.PENDING)) {
			return;
		}
		var number = outgoing.attempts() + 1;
		var started = clock.instant();
		var nanos = System.nanoTime();
		Integer status = null;
		String excerpt = null;
		String error = null;
		Duration retryAfter = null;
		var retry = false;
		try {
			var uri = targets.check(outgoing.url());
			var response = post(uri, outgoing, started);
			status = response.status();
			excerpt = response.excerpt();
			retryAfter = response.retryAfter();
			retry = status == 429 || status >= 500;
		}
		catch (WebhookTargets.UnresolvedTarget ex) {
			// A resolver's hiccup is not the host's answer.
			error = ex.getMessage();
			retry = true;
		}
		catch (WebhookTargets.RefusedTarget ex) {
			error = ex.getMessage();
		}
		catch (HttpTimeoutException ex) {
			error = "No answer within " + settings.timeout().toSeconds() + " s";
			retry = true;
		}
		catch (IOException ex) {
			error = "Could not reach the host: " + describe(ex);
			retry = true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (RuntimeException ex) {
			// Counted as an attempt and retried like one: a delivery Voxdesk keeps failing to send must not hold
			// the call's later deliveries forever.
			log.error("Webhook delivery {} failed inside Voxdesk", claimed.id(), ex);
			error = "Voxdesk failed to send it (an internal error, logged)";
			retry = true;
		}
		var attempt = new Attempt(number, started, (int) ((System.nanoTime() - nanos) / 1_000_000), status,
				excerpt, error);
		settle(claimed, outgoing, attempt, retry, retryAfter);
	}

	private void settle(Claimed claimed, Outgoing outgoing, Attempt attempt, boolean retry,
			@Nullable Duration retryAfter) {
		var status = attempt.statusCode();
		var delivered = status != null && status >= 200 && status < 300;
		var retriesUsed = attempt.number() - outgoing.roundStart() - 1;
		var schedule = settings.retrySchedule();
		String state;
		Instant next = null;
		String failure = null;
		if (delivered) {
			state = WebhookDeliveries.DELIVERED;
		}
		else if (retry && retriesUsed < schedule.size()) {
			state = WebhookDeliveries.PENDING;
			next = attempt.startedAt().plus(nextWait(schedule.get(retriesUsed), retryAfter));
		}
		else {
			state = WebhookDeliveries.FAILED;
			failure = retry ? "No success after " + attempt.number() + " attempts; the last: " + outcome(attempt)
					: "Not retried: " + outcome(attempt);
		}
		var registry = meters;
		if (registry != null) {
			registry.counter("voxdesk.webhooks.attempts", "outcome", delivered ? "delivered" : retry ? "retryable" : "refused")
				.increment();
		}
		var finalState = state;
		var finalNext = next;
		var finalFailure = failure;
		var written = Boolean.TRUE.equals(transaction.execute(done -> {
			var mine = deliveries.attempted(claimed, attempt, finalState, finalNext, finalFailure);
			if (mine && finalState.equals(WebhookDeliveries.FAILED) && retry) {
				disableIfDead(outgoing);
			}
			return mine;
		}));
		if (!written) {
			log.warn("Webhook delivery {}: attempt {} outlived its lease; its outcome was dropped", outgoing.id(),
					attempt.number());
			return;
		}
		log.info("Webhook {} to endpoint {}: attempt {}, {}", outgoing.type(), outgoing.endpoint(), attempt.number(),
				delivered ? "delivered" : finalState.equals(WebhookDeliveries.PENDING) ? "retry at " + finalNext
						: "failed: " + outcome(attempt));
	}

	/** The schedule's wait with a fifth of jitter either way, and no sooner than the host asked. */
	static Duration nextWait(Duration scheduled, @Nullable Duration retryAfter) {
		var jittered = Duration.ofMillis((long) (scheduled.toMillis() * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
		if (retryAfter == null) {
			return jittered;
		}
		var asked = retryAfter.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : retryAfter;
		return asked.compareTo(jittered) > 0 ? asked : jittered;
	}

	/** A delivery ran out of retries: if nothing reached its endpoint since it was queued, the endpoint is off. */
	private void disableIfDead(Outgoing outgoing) {
		var since = outgoing.createdAt() == null ? clock.instant() : outgoing.createdAt();
		if (deliveries.deliveredSince(outgoing.endpoint(), since)) {
			return;
		}
		var endpoint = endpoints.find(outgoing.endpoint()).orElse(null);
		if (endpoint == null || !endpoint.enabled()) {
			return;
		}
		var reason = "Every delivery failed from " + since + " until " + clock.instant()
				+ "; Voxdesk stopped sending. Fix the endpoint, then turn it on again and send the failed deliveries again.";
		if (!endpoints.disable(endpoint.id(), reason, clock.instant())) {
			// Another delivery's last failure, on another instance, turned it off first.
			return;
		}
		events.publishEvent(new WebhookEndpointDisabled(endpoint.tenant(), endpoint.id(),
				WebhookEndpoints.hostOf(endpoint.url()), reason, clock.instant()));
		log.warn("Webhook endpoint {} of tenant {} disabled: every delivery failed since {}", endpoint.id(),
				endpoint.tenant(), since);
	}

	private Response post(URI uri, Outgoing outgoing, Instant now) throws IOException, InterruptedException {
		var secrets = new ArrayList<String>();
		secrets.add(cipher.decrypt(WebhookEndpoints.SECRET, outgoing.secret()));
		if (outgoing.previousSecret() != null && outgoing.previousSecretUntil() != null
				&& outgoing.previousSecretUntil().isAfter(now)) {
			secrets.add(cipher.decrypt(WebhookEndpoints.SECRET, outgoing.previousSecret()));
		}
		var id = "msg_" + outgoing.id();
		var timestamp = now.getEpochSecond();
		var request = HttpRequest.newBuilder(uri)
			.timeout(settings.timeout())
			.header("Content-Type", "application/json")
			.header("User-Agent", "Voxdesk-Webhooks/1")
			.header("webhook-id", id)
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature", WebhookSigner.signature(secrets, id, timestamp, outgoing.payload()))
			.POST(HttpRequest.BodyPublishers.ofString(outgoing.payload(), StandardCharsets.UTF_8))
			.build();
		var response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		String excerpt;
		try (var body = response.body()) {
			excerpt = excerpt(body);
		}
		return new Response(response.statusCode(), excerpt,
				retryAfter(response.headers().firstValue("Retry-After").orElse(null), now));
	}

	/**
	 * The first 1 KB of the answer, waited for no longer than the timeout: a host that trickles its body must not
	 * hold the attempt. Closing the stream drops the rest.
	 */
	private String excerpt(InputStream body) throws IOException, InterruptedException {
		var read = CompletableFuture.supplyAsync(() -> {
			try {
				return body.readNBytes(EXCERPT_BYTES);
			}
			catch (IOException ex) {
				return new byte[0];
			}
		}, senders);
		try {
			return new String(read.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
		}
		catch (ExecutionException | TimeoutException ex) {
			return "";
		}
	}

	/** A {@code Retry-After} of seconds or an HTTP date; nothing for anything else. */
	static @Nullable Duration retryAfter(@Nullable String header, Instant now) {
		if (header == null || header.isBlank()) {
			return null;
		}
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
		}
		catch (NumberFormatException notSeconds) {
			try {
				var at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
				return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
			}
			catch (DateTimeParseException notADate) {
				return null;
			}
		}
	}

	private static String outcome(Attempt attempt) {
		return attempt.statusCode() != null ? "HTTP " + attempt.statusCode() : String.valueOf(attempt.error());
	}

	private static String describe(IOException ex) {
		var message = ex.getMessage();
		return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
	}

	/** Deliveries delivered or failed longer ago than {@code voxdesk.webhooks.keep-for} go, with their payloads. */
	@Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
	void purge() {
		var purged = deliveries.purge(settings.keepFor());
		if (purged > 0) {
			log.info("Purged {} webhook deliveries older than {}", purged, settings.keepFor());
		}
	}

	@Override
	public void destroy() {
		senders.shutdownNow();
		http.close();
	}

	/** A host's answer: status, the start of its body, and when it asked to be tried again. */
	private record Response(int status, String excerpt, @Nullable Duration retryAfter) {
	}
}
