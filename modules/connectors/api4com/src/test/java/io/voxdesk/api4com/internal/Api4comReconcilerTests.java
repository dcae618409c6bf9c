package io.voxdesk.api4com.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.voxdesk.api4com.Api4comSettings;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.spi.CallReports;
import io.voxdesk.calls.spi.ConnectionDirectory;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

import tools.jackson.databind.node.ObjectNode;

/**
 * Reconciliation against the fake API4COM's call records: two to a page, {@code meta} on odd pages and
 * {@code metadata} on even ones, Brasília times labelled {@code Z}, and 429 for pages asked faster than allowed.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class Api4comReconcilerTests {

	static Api4comStubs api4com;

	@Autowired
	Api4comReconciler reconciler;

	@Autowired
	TenantContext context;

	Api4comFixture fixture;

	TenantId tenant;

	ProviderConnection connection;

	final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

	CallId answered;

	CallId unanswered;

	CallId tooYoung;

	CallId ghost;

	CallId quiet;

	@BeforeAll
	static void start() {
		api4com = Api4comStubs.start();
	}

	@AfterAll
	static void stop() {
		api4com.close();
	}

	/**
	 * Five open calls: two API4COM has finished records of, one too young to look up, one placed three hours ago
	 * that API4COM never heard of (a dialer ghost call), and one half an hour old without a record yet.
	 */
	@BeforeEach
	void openCallsAndTheirRecords(@Autowired TenantManagement tenants, @Autowired ProviderConnectionManagement connections,
			@Autowired CallManagement calls, @Autowired WebhookStore store, @Autowired JdbcClient jdbc,
			@Autowired TransactionTemplate transactions,
			@Autowired ConnectionDirectory directory) {
		api4com.reset();
		fixture = new Api4comFixture(tenants, context, connections, directory, calls, store, jdbc, transactions);
		tenant = fixture.tenant("recon");
		connection = fixture.connect(tenant, api4com, Api4comStubs.ADMIN_TOKEN);
		answered = fixture.call(tenant, connection.id(), now.minus(Duration.ofMinutes(10)));
		unanswered = fixture.call(tenant, connection.id(), now.minus(Duration.ofMinutes(9)));
		tooYoung = fixture.call(tenant, connection.id(), now.minus(Duration.ofSeconds(30)));
		ghost = fixture.call(tenant, connection.id(), now.minus(Duration.ofHours(3)));
		quiet = fixture.call(tenant, connection.id(), now.minus(Duration.ofMinutes(30)));

		var rows = new ArrayList<ObjectNode>();
		rows.add(Api4comStubs.callRecord("r-answered", answered.toString(), brasilia(now.minusSeconds(590)),
				brasilia(now.minusSeconds(500)), 60, "NORMAL_CLEARING", api4com.recordingUrl("r-answered")));
		rows.add(Api4comStubs.callRecord("r-unanswered", unanswered.toString(), brasilia(now.minusSeconds(530)),
				brasilia(now.minusSeconds(500)), 0, "NO_ANSWER", null));
		rows.add(Api4comStubs.callRecord("r-young", tooYoung.toString(), brasilia(now.minusSeconds(25)),
				brasilia(now.minusSeconds(5)), 10, "NORMAL_CLEARING", null));
		for (var i = 0; i < 5; i++) {
			// Other integrations' calls on the same account, and manual calls without metadata.
			rows.add(Api4comStubs.callRecord("other-" + i, i % 2 == 0 ? null : CallId.random().toString(),
					brasilia(now.minusSeconds(60L * i + 30)), brasilia(now.minusSeconds(60L * i)), 5, "NORMAL_CLEARING",
					null));
		}
		// Older than the oldest open call: the filter leaves it out.
		rows.add(Api4comStubs.callRecord("r-ancient", ghost.toString(), brasilia(now.minus(Duration.ofHours(5))),
				brasilia(now.minus(Duration.ofHours(5)).plusSeconds(30)), 30, "NORMAL_CLEARING", null));
		api4com.callRecords(rows, 2, Duration.ofMillis(250));
	}

	@AfterEach
	void quietConnectors() {
		fixture.awaitConnectorsDone();
	}

	static String brasilia(Instant instant) {
		return Api4comTime.filter(instant);
	}

	Api4comReconciler.Report reconcile(Api4comReconciler with) {
		return context.callAs(tenant, () -> with.reconcile(connection));
	}

	void assertSettled() {
		var completed = fixture.details(tenant, answered);
		assertThat(completed.status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(completed.talkSeconds()).isEqualTo(60);
		assertThat(completed.endedAt()).isEqualTo(now.minusSeconds(500));
		await().atMost(Duration.ofSeconds(10)).until(() -> fixture.details(tenant, answered).recorded());
		assertThat(fixture.details(tenant, unanswered).status()).isEqualTo(CallStatus.NO_ANSWER);
		assertThat(fixture.details(tenant, tooYoung).status()).isEqualTo(CallStatus.RINGING);
		var lost = fixture.details(tenant, ghost);
		assertThat(lost.status()).isEqualTo(CallStatus.FAILED);
		assertThat(lost.failureReason()).isEqualTo("API4COM has no record of this call");
		assertThat(fixture.details(tenant, quiet).status()).isEqualTo(CallStatus.RINGING);
	}

	@Test
	void openCallsAreSettledFromCallRecordsReadPageByPageAtAPoliteDistance() {
		var report = reconcile(reconciler);

		assertThat(report).isEqualTo(new Api4comReconciler.Report(4, 2, 1, 4, 0, true));
		assertThat(api4com.rateLimited()).isZero();
		assertSettled();
		// The filter is written the way API4COM stores times: Brasília wall-clock labelled Z.
		// ISO_LOCAL_DATE_TIME, not toString(): the latter drops ":00" seconds, which would fail once a minute.
		var expectedSince = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(LocalDateTime.ofInstant(
				now.minus(Duration.ofHours(3)).minus(Duration.ofMinutes(5)), ZoneId.of("America/Sao_Paulo")));
		assertThat(api4com.callFilters()).hasSize(4).allSatisfy(filter -> assertThat(filter)
			.isEqualTo("{\"where\":{\"started_at\":{\"gte\":\"" + expectedSince + ".000Z\"}},\"order\":\"started_at DESC\","
					+ "\"limit\":100}"));
		// Once settled the calls are no longer open: the next round asks API4COM nothing about them.
		assertThat(reconcile(reconciler).open()).isEqualTo(1);
	}

	@Test
	void pagingTooFastGets429sWhoseResetIsWaitedOut(@Autowired Api4comHttp http, @Autowired CallReports calls,
			@Autowired ConnectionDirectory connections, @Autowired WebhookRegistration webhooks,
			@Autowired Api4comCallIds callIds, @Autowired PlatformTransactionManager transactions,
			@Autowired Api4comRecordings recordings) {
		var hasty = new Api4comReconciler(http, calls, connections, webhooks, callIds, context, transactions, recordings,
				settings(Duration.ZERO), Optional.empty());

		var report = reconcile(hasty);

		assertThat(report.rateLimited()).isPositive().isEqualTo(api4com.rateLimited());
		assertThat(report.complete()).isTrue();
		assertThat(report.pages()).isEqualTo(4);
		assertSettled();
	}

	@Test
	void whenApi4comKeepsRefusingNothingIsSettledAsLost(@Autowired Api4comHttp http, @Autowired CallReports calls,
			@Autowired ConnectionDirectory connections, @Autowired WebhookRegistration webhooks,
			@Autowired Api4comCallIds callIds, @Autowired PlatformTransactionManager transactions,
			@Autowired Api4comRecordings recordings) {
		var rows = new ArrayList<ObjectNode>();
		for (var i = 0; i < 6; i++) {
			rows.add(Api4comStubs.callRecord("busy-" + i, null, brasilia(now.minusSeconds(60L * i + 30)),
					brasilia(now.minusSeconds(60L * i)), 5, "NORMAL_CLEARING", null));
		}
		api4com.callRecords(List.copyOf(rows), 2, Duration.ofSeconds(30));
		var hasty = new Api4comReconciler(http, calls, connections, webhooks, callIds, context, transactions, recordings,
				settings(Duration.ZERO), Optional.empty());

		var report = reconcile(hasty);

		assertThat(report.complete()).isFalse();
		assertThat(report.pages()).isEqualTo(1);
		assertThat(report.rateLimited()).isEqualTo(4);
		assertThat(report.lost()).isZero();
		assertThat(fixture.details(tenant, ghost).status()).isEqualTo(CallStatus.RINGING);
	}

	@Test
	void a429IsWaitedOutForTheTimeItsHeadersName() {
		assertThat(reconciler.retryAfter(tooMany(Map.of("RateLimit-Reset", "7")))).isEqualTo(Duration.ofSeconds(7));
		assertThat(reconciler.retryAfter(tooMany(Map.of("RateLimit", "limit=120, remaining=0, reset=12"))))
			.isEqualTo(Duration.ofSeconds(12));
		assertThat(reconciler.retryAfter(tooMany(Map.of("Retry-After", "3")))).isEqualTo(Duration.ofSeconds(3));
		assertThat(reconciler.retryAfter(tooMany(Map.of()))).as("rate-limit-backoff").isEqualTo(Duration.ofSeconds(1));
		assertThat(reconciler.retryAfter(tooMany(Map.of("RateLimit-Reset", "0")))).as("page-delay")
			.isEqualTo(Duration.ofMillis(300));
		assertThat(reconciler.retryAfter(tooMany(Map.of("Retry-After", "900")))).isEqualTo(Duration.ofSeconds(60));
	}

	@Test
	void theWaitAfterA429IsSpreadOverATenthMoreNeverLess() {
		var waits = new java.util.HashSet<Duration>();
		for (var i = 0; i < 200; i++) {
			var wait = Api4comReconciler.spread(Duration.ofSeconds(10));
			assertThat(wait).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(11));
			waits.add(wait);
		}
		assertThat(waits).as("instances limited together ask again at different times").hasSizeGreaterThan(50);
	}

	static Api4comHttp.Reply tooMany(Map<String, String> headers) {
		var all = new HttpHeaders();
		headers.forEach(all::add);
		return new Api4comHttp.Reply(429, "", all);
	}

	static Api4comSettings settings(Duration pageDelay) {
		return new Api4comSettings("https://voxdesk.example.com", Duration.ofSeconds(1), Duration.ofSeconds(5),
				Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofMinutes(2),
				Duration.ofHours(2), pageDelay, Duration.ofMillis(300), 10, Duration.ofMinutes(5),
				List.of("127.0.0.1"), DataSize.ofKilobytes(64));
	}
}
