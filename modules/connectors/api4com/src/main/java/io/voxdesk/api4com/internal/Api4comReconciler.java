package io.voxdesk.api4com.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.voxdesk.api4com.Api4comSettings;
import io.voxdesk.api4com.internal.Api4comHttp.Reply;
import io.voxdesk.api4com.internal.Api4comHttp.Unreachable;
import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.spi.CallReports;
import io.voxdesk.calls.spi.ConnectionDirectory;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.tenants.TenantContext;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;

/**
 * Webhooks get lost (API4COM documents no retries) and some calls never produce one, so open calls are compared
 * with API4COM's call records ({@code GET /calls}) once they are a couple of minutes old: a finished call found
 * there is settled from its record, and a call API4COM has no record of long after it was placed (a dialer "ghost"
 * call) is settled as lost. API4COM answers 429 to fast paging, so pages are read with a pause between them, and
 * after a 429 the reset time it names is waited out. Also re-registers webhooks whose registration failed.
 */
@Component
class Api4comReconciler {

	private static final Logger log = LoggerFactory.getLogger(Api4comReconciler.class);

	private static final Pattern RESET = Pattern.compile("(?:^|[;,\\s])reset=(\\d+)");

	/** API4COM's clock and Voxdesk's may disagree a little; calls started slightly before the request still count. */
	private static final Duration MARGIN = Duration.ofMinutes(5);

	private static final Duration MAX_WAIT = Duration.ofSeconds(60);

	private static final int ATTEMPTS_PER_PAGE = 4;

	private final Api4comHttp http;

	private final CallReports calls;

	private final ConnectionDirectory connections;

	private final WebhookRegistration webhooks;

	private final Api4comCallIds callIds;

	private final TenantContext context;

	private final TransactionTemplate transactions;

	private final Api4comRecordings recordings;

	private final Api4comSettings settings;

	private final Clock clock;

	Api4comReconciler(Api4comHttp http, CallReports calls, ConnectionDirectory connections,
			WebhookRegistration webhooks, Api4comCallIds callIds, TenantContext context,
			PlatformTransactionManager transactions, Api4comRecordings recordings, Api4comSettings settings,
			Optional<Clock> clock) {
		this.http = http;
		this.calls = calls;
		this.connections = connections;
		this.webhooks = webhooks;
		this.callIds = callIds;
		this.context = context;
		this.transactions = new TransactionTemplate(transactions);
		this.recordings = recordings;
		this.settings = settings;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	@Scheduled(fixedDelayString = "${voxdesk.api4com.reconcile-interval:60s}",
			initialDelayString = "${voxdesk.api4com.reconcile-interval:60s}")
	void run() {
		for (var connection : connections.enabledConnections(Api4comAdapter.KIND)) {
			try {
				context.runAs(connection.tenant(), () -> {
					webhooks.registerIfNeeded(connection, clock.instant());
					reconcile(connection);
				});
			}
			catch (RuntimeException ex) {
				log.warn("API4COM connection {}: reconciliation failed: {}", connection.id(),
						Api4comHttp.hide(String.valueOf(ex.getMessage()), connection));
			}
		}
	}

	/** Reconciles one connection's open calls; call in its tenant's scope. */
	Report reconcile(ProviderConnection connection) {
		var now = clock.instant();
		var open = new HashMap<CallId, CallDetails>();
		Instant since = null;
		for (var call : calls.openCalls(connection.id())) {
			if (call.requestedAt().isBefore(now.minus(settings.reconcileAfter()))) {
				open.put(call.id(), call);
				since = since == null || call.requestedAt().isBefore(since) ? call.requestedAt() : since;
			}
		}
		if (since == null) {
			return new Report(0, 0, 0, 0, 0, true);
		}
		var filter = Json.object();
		filter.putObject("where").putObject("started_at").put("gte", Api4comTime.filter(since.minus(MARGIN)));
		filter.put("order", "started_at DESC");
		filter.put("limit", 100);
		var query = "&filter=" + Api4comHttp.query(Json.write(filter));

		var found = new HashSet<CallId>();
		var settled = 0;
		var pages = 0;
		var rateLimited = 0;
		var complete = false;
		var page = 1;
		while (pages < settings.maxPages()) {
			if (pages > 0) {
				pause(settings.pageDelay());
			}
			var fetched = fetch(connection, page, query);
			rateLimited += fetched.rateLimited();
			if (fetched.reply() == null) {
				break;
			}
			pages++;
			var json = fetched.reply().json();
			var rows = json.isArray() ? json : json.path("data");
			for (var row : rows.values()) {
				var call = Api4comFacts.voxdeskCall(row);
				if (call != null && open.containsKey(call) && !found.contains(call) && settle(connection, call, row)) {
					found.add(call);
					settled++;
				}
			}
			// The pagination block is "meta" in live answers and "metadata" in the documentation.
			var meta = json.path("meta").isObject() ? json.path("meta") : json.path("metadata");
			var next = meta.path("nextPage");
			if (rows.isEmpty() || next.isMissingNode() || next.isNull() || Json.text(next).isEmpty()) {
				complete = true;
				break;
			}
			if (found.size() == open.size()) {
				break;
			}
			var nextPage = (int) Json.number(next, page + 1);
			page = nextPage > page ? nextPage : page + 1;
		}
		var lost = 0;
		if (complete) {
			for (var call : open.values()) {
				if (!found.contains(call.id()) && call.requestedAt().isBefore(now.minus(settings.lostAfter()))) {
					calls.settleLost(call.id(), "API4COM has no record of this call", null);
					lost++;
				}
			}
		}
		var stopped = complete || found.size() == open.size() ? "" : " (stopped before the last page)";
		if (settled > 0 || lost > 0 || !stopped.isEmpty()) {
			log.info("API4COM connection {} reconciled {} open calls: {} settled from call records, {} lost, {} pages{}",
					connection.id(), open.size(), settled, lost, pages, stopped);
		}
		else {
			log.debug("API4COM connection {}: none of {} open calls has ended in the call records", connection.id(),
					open.size());
		}
		return new Report(open.size(), settled, lost, pages, rateLimited, complete);
	}

	/** Applies the row's facts if it tells how the call ended. */
	private boolean settle(ProviderConnection connection, CallId call, JsonNode row) {
		var events = Api4comFacts.fromCallRecord(call, row);
		if (events.isEmpty()) {
			return false;
		}
		var now = clock.instant();
		transactions.executeWithoutResult(status -> {
			callIds.remember(connection.tenant(), call, Api4comFacts.api4comId(row), now);
			events.forEach(calls::apply);
		});
		Api4comFacts.recordingUrl(row).ifPresent(url -> recordings.fetchLater(connection.tenant(), call, url));
		return true;
	}

	private Fetched fetch(ProviderConnection connection, int page, String query) {
		var limited = 0;
		for (var attempt = 1; attempt <= ATTEMPTS_PER_PAGE; attempt++) {
			Reply reply;
			try {
				reply = http.send(connection, "GET", "/calls?page=" + page + query, null, settings.requestTimeout());
			}
			catch (Unreachable ex) {
				log.warn("API4COM connection {}: reading call records page {} failed: {}", connection.id(), page,
						ex.getMessage());
				return new Fetched(null, limited);
			}
			if (reply.ok()) {
				return new Fetched(reply, limited);
			}
			if (reply.status() != 429) {
				log.warn("API4COM connection {}: reading call records page {} failed: {}", connection.id(), page,
						Api4comHttp.hide(reply.message(), connection));
				return new Fetched(null, limited);
			}
			limited++;
			var wait = spread(retryAfter(reply));
			log.info("API4COM connection {}: rate limited on call records page {}; waiting {}", connection.id(), page,
					Api4comHttp.seconds(wait));
			pause(wait);
		}
		return new Fetched(null, limited);
	}

	/**
	 * How long a 429 asks to wait: express-rate-limit's {@code RateLimit-Reset} (seconds), its combined
	 * {@code RateLimit: …, reset=N} form, or {@code Retry-After} (seconds); else the configured backoff.
	 */
	Duration retryAfter(Reply reply) {
		var seconds = Optional.ofNullable(reply.headers().getFirst("RateLimit-Reset")).map(String::strip).filter(v -> v.matches("\\d+"));
		if (seconds.isEmpty()) {
			seconds = Optional.ofNullable(reply.headers().getFirst("RateLimit"))
				.map(RESET::matcher)
				.filter(Matcher::find)
				.map(matcher -> matcher.group(1));
		}
		if (seconds.isEmpty()) {
			seconds = Optional.ofNullable(reply.headers().getFirst("Retry-After")).map(String::strip).filter(v -> v.matches("\\d+"));
		}
		var wait = seconds.map(Long::parseLong).map(Duration::ofSeconds).orElse(settings.rateLimitBackoff());
		// A reset of 0 means "now" to the second: wait at least the page delay so the next try is not refused too.
		wait = wait.compareTo(settings.pageDelay()) < 0 ? settings.pageDelay() : wait;
		return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
	}

	/**
	 * The wait plus up to a tenth more, at random: instances limited together by the same reset would otherwise all
	 * ask again in the same second and be limited again. Never shorter than API4COM asked.
	 */
	static Duration spread(Duration wait) {
		return wait.plusMillis(ThreadLocalRandom.current().nextLong(wait.toMillis() / 10 + 1));
	}

	private static void pause(Duration duration) {
		if (duration.isZero() || duration.isNegative()) {
			return;
		}
		try {
			// The reconciliation runs on the scheduler's thread and nothing else waits for it.
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while pacing API4COM requests", ex);
		}
	}

	private record Fetched(@Nullable Reply reply, int rateLimited) {
	}

	/**
	 * What one reconciliation did.
	 *
	 * @param open the open calls old enough to be looked up.
	 * @param settled calls ended from their call record.
	 * @param lost calls settled because API4COM has no record of them.
	 * @param pages pages of call records read.
	 * @param rateLimited 429 answers waited out.
	 * @param complete whether every page was read.
	 */
	record Report(int open, int settled, int lost, int pages, int rateLimited, boolean complete) {
	}
}
