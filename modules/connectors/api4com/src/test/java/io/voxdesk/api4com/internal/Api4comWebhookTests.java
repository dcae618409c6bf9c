package io.voxdesk.api4com.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.voxdesk.calls.CallEnded;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.spi.ConnectionDirectory;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;

import com.github.tomakehurst.wiremock.http.RequestMethod;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

/**
 * API4COM's webhooks as the receiver takes them in: the token in the URL picks tenant and connection, the payload's
 * metadata picks the call, São Paulo times become instants, and a repeated webhook changes nothing. Hanging up uses
 * the API4COM id the webhooks taught.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class Api4comWebhookTests {

	static Api4comStubs api4com;

	@Autowired
	WebhookReceiver receiver;

	@Autowired
	Api4comAdapter adapter;

	@Autowired
	Api4comRecordings recordings;

	@Autowired
	CallManagement calls;

	@Autowired
	TenantContext context;

	@Autowired
	TenantManagement tenants;

	@Autowired
	JdbcClient jdbc;

	Api4comFixture fixture;

	TenantId acme;

	ProviderConnection acmeConnection;

	String acmeToken;

	@BeforeAll
	static void start() {
		api4com = Api4comStubs.start();
	}

	@AfterAll
	static void stop() {
		api4com.close();
	}

	@BeforeEach
	void acmeConnected(@Autowired ProviderConnectionManagement connections, @Autowired WebhookStore store,
			@Autowired TransactionTemplate transactions,
			@Autowired ConnectionDirectory directory) {
		api4com.reset();
		fixture = new Api4comFixture(tenants, context, connections, directory, calls, store, jdbc, transactions);
		acme = fixture.tenant("acme");
		acmeConnection = fixture.connect(acme, api4com, Api4comStubs.ADMIN_TOKEN);
		acmeToken = api4com.webhookToken();
	}

	@AfterEach
	void quiet() {
		fixture.awaitConnectorsDone();
	}

	CallId call() {
		return fixture.call(acme, acmeConnection.id(), Instant.now());
	}

	static String webhook(String type, String api4comId, @Nullable CallId call, String startedAt, String answeredAt,
			String endedAt, String cause, String causeCode, @Nullable String recordUrl) {
		return """
				{"version":"v1.4","eventType":"%s","id":"%s","domain":"%s","direction":"outbound","caller":"1001",
				 "called":"04833328530","startedAt":"%s","answeredAt":"%s","endedAt":"%s","duration":0,
				 "hangupCause":"%s","hangupCauseCode":"%s",%s
				 "metadata":{"gateway":"voxdesk"%s}}""".formatted(type, api4comId, Api4comStubs.DOMAIN, startedAt,
				answeredAt, endedAt, cause, causeCode, recordUrl == null ? "" : "\"recordUrl\":\"" + recordUrl + "\",",
				call == null ? "" : ",\"voxdeskCallId\":\"" + call + "\",\"voxdeskTenant\":\"acme\"");
	}

	static String create(String id, CallId call) {
		return webhook("channel-create", id, call, "2026-11-22 09:00:00", "", "", "", "", null);
	}

	static String answer(String id, CallId call) {
		return webhook("channel-answer", id, call, "2026-11-22 09:00:00", "2026-11-22 09:00:05", "", "", "", null);
	}

	static String hangup(String id, CallId call, @Nullable String recordUrl) {
		return webhook("channel-hangup", id, call, "2026-11-22 09:00:00", "2026-11-22 09:00:05", "2026-11-22 09:01:00",
				"NORMAL_CLEARING", "16", recordUrl);
	}

	@Test
	void createAnswerAndHangupMakeACompletedCallWithItsTalkTimeAndItsRecordingIsCopied(Scenario scenario)
			throws Exception {
		var call = call();
		var recording = api4com.recordingUrl("a1b2");
		assertThat(receiver.receive(acmeToken, create("a1b2", call)).result()).isEqualTo("applied");
		assertThat(fixture.details(acme, call).status()).isEqualTo(CallStatus.RINGING);
		receiver.receive(acmeToken, answer("a1b2", call));
		assertThat(fixture.details(acme, call).status()).isEqualTo(CallStatus.ANSWERED);

		scenario.stimulate(() -> receiver.receive(acmeToken, hangup("a1b2", call, recording)))
			.andWaitForEventOfType(CallEnded.class)
			.matching(ended -> ended.callId().equals(call))
			.toArriveAndVerify(ended -> {
				assertThat(ended.outcome()).isEqualTo(CallOutcome.ANSWERED);
				assertThat(ended.talkSeconds()).isEqualTo(55);
			});

		var details = fixture.details(acme, call);
		assertThat(details.status()).isEqualTo(CallStatus.COMPLETED);
		// 09:00:05 in São Paulo (UTC-3).
		assertThat(details.answeredAt()).isEqualTo(Instant.parse("2026-11-22T12:00:05Z"));
		assertThat(details.endedAt()).isEqualTo(Instant.parse("2026-11-22T12:01:00Z"));
		assertThat(details.hangupCause()).isEqualTo("16 NORMAL_CLEARING");
		var stored = await().atMost(Duration.ofSeconds(10))
			.until(() -> context.callAs(acme, () -> calls.recording(call, CurrentUser.SYSTEM, false)), Optional::isPresent)
			.orElseThrow();
		assertThat(stored.mediaType()).isEqualTo("audio/mpeg");
		assertThat(stored.audio().getContentAsByteArray()).isEqualTo(Api4comStubs.RECORDING_BYTES);
		assertThat(fixture.details(acme, call).recorded()).isTrue();
	}

	@Test
	void anExpiredRecordingLinkOrOneOutsideApi4comIsNotFollowed() {
		var expired = call();
		api4com.expireRecordings();
		receiver.receive(acmeToken, hangup("x1", expired, api4com.recordingUrl("x1")));
		await().atMost(Duration.ofSeconds(10)).until(() -> api4com.server()
			.getAllServeEvents()
			.stream()
			.anyMatch(event -> event.getRequest().getUrl().endsWith("/x1.mp3") && event.getResponse() != null
					&& event.getResponse().getStatus() == 403));
		assertThat(fixture.details(acme, expired).status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(fixture.details(acme, expired).recorded()).isFalse();

		var elsewhere = call();
		receiver.receive(acmeToken, hangup("x2", elsewhere, "http://169.254.169.254/latest/meta-data/x2.mp3"));
		assertThat(fixture.details(acme, elsewhere).status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(fixture.details(acme, elsewhere).recorded()).isFalse();
		assertThat(recordings.followable("https://listener.api4com.com/files/listen/x.mp3")).isTrue();
		assertThat(recordings.followable("https://api4com.com.evil.example/x.mp3")).isFalse();
	}

	@Test
	void aRedeliveredWebhookIsRecognisedAndChangesNothing() {
		var call = call();
		receiver.receive(acmeToken, create("r1", call));
		assertThat(receiver.receive(acmeToken, hangup("r1", call, null))).isEqualTo(WebhookReceiver.Result.applied(2));
		var facts = fixture.facts(acme, call);
		var before = fixture.details(acme, call);

		assertThat(receiver.receive(acmeToken, hangup("r1", call, null))).isEqualTo(WebhookReceiver.Result.DUPLICATE);
		assertThat(receiver.receive(acmeToken, create("r1", call))).isEqualTo(WebhookReceiver.Result.DUPLICATE);

		assertThat(fixture.facts(acme, call)).isEqualTo(facts).isEqualTo(3);
		assertThat(fixture.details(acme, call)).isEqualTo(before);
	}

	@Test
	void callsWhoseExtensionNeverSendsAnAnswerOrWhoseHangupComesFirstStillEndCompleted() {
		var silent = call();
		receiver.receive(acmeToken, create("s1", silent));
		receiver.receive(acmeToken, hangup("s1", silent, null));
		assertThat(fixture.details(acme, silent).status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(fixture.details(acme, silent).talkSeconds()).isEqualTo(55);

		var early = call();
		receiver.receive(acmeToken, hangup("e1", early, null));
		assertThat(fixture.details(acme, early).status()).isEqualTo(CallStatus.COMPLETED);
		receiver.receive(acmeToken, answer("e1", early));
		receiver.receive(acmeToken, create("e1", early));
		var details = fixture.details(acme, early);
		assertThat(details.status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(details.talkSeconds()).isEqualTo(55);
		assertThat(details.endingRevised()).isFalse();
	}

	@Test
	void unansweredCallsEndTheWayTheirFreeSwitchCauseSays() {
		var busy = call();
		receiver.receive(acmeToken, webhook("channel-hangup", "b1", busy, "2026-11-22 09:00:00", "", "2026-11-22 09:00:09",
				"USER_BUSY", "17", null));
		assertThat(fixture.details(acme, busy).status()).isEqualTo(CallStatus.BUSY);
		assertThat(fixture.details(acme, busy).hangupCause()).isEqualTo("17 USER_BUSY");
		assertThat(fixture.details(acme, busy).answeredAt()).isNull();

		var unanswered = call();
		receiver.receive(acmeToken, webhook("channel-hangup", "n1", unanswered, "2026-11-22 09:00:00", "",
				"2026-11-22 09:00:45", "NO_ANSWER", "19", null));
		assertThat(fixture.details(acme, unanswered).status()).isEqualTo(CallStatus.NO_ANSWER);

		var unknownNumber = call();
		receiver.receive(acmeToken, webhook("channel-hangup", "u1", unknownNumber, "2026-11-22 09:00:00", "",
				"2026-11-22 09:00:02", "NUMBER_CHANGED", "22", null));
		assertThat(fixture.details(acme, unknownNumber).status()).isEqualTo(CallStatus.FAILED);
	}

	@Test
	void malformedWebhooksAre400AndUnusableOnesAreAcknowledgedAndDropped() {
		var call = call();
		assertThatThrownBy(() -> receiver.receive(acmeToken, "{\"eventType\": \"channel-hangup\", "))
			.isInstanceOfSatisfying(ErrorResponseException.class, ex -> {
				assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
				assertThat(String.valueOf(ex.getBody().getInstance())).doesNotContain(acmeToken);
			});
		assertThatThrownBy(() -> receiver.receive(acmeToken, "[1, 2]")).isInstanceOf(ErrorResponseException.class);
		assertThatThrownBy(() -> receiver.receive(acmeToken, null)).isInstanceOf(ErrorResponseException.class);

		assertThat(receiver.receive(acmeToken, hangup("x1", call, null).replace("channel-hangup", "channel-bridge")))
			.isEqualTo(WebhookReceiver.Result.ignored("unknown event type"));
		assertThat(receiver.receive(acmeToken, webhook("channel-hangup", "x2", null, "2026-11-22 09:00:00", "",
				"2026-11-22 09:00:02", "NORMAL_CLEARING", "16", null)))
			.isEqualTo(WebhookReceiver.Result.ignored("no user has extension 1001"));
		assertThat(receiver.receive(acmeToken, hangup("x3", CallId.random(), null)))
			.isEqualTo(WebhookReceiver.Result.ignored("unknown call"));
		assertThat(fixture.facts(acme, call)).isZero();
		assertThat(fixture.details(acme, call).status()).isEqualTo(CallStatus.RINGING);
	}

	@Test
	void anUnknownTokenIs404AndNothingIsStored() {
		var call = call();
		for (var token : new String[] { "wrong", WebhookStore.newToken(), acmeToken + "x", "x".repeat(5000) }) {
			assertThatThrownBy(() -> receiver.receive(token, hangup("w1", call, null)))
				.isInstanceOfSatisfying(ErrorResponseException.class,
						ex -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND));
		}
		assertThat(fixture.facts(acme, call)).isZero();
		assertThat(fixture.details(acme, call).status()).isEqualTo(CallStatus.RINGING);
	}

	@Test
	void aTokenOfOneTenantCannotTouchAnotherTenantsCall() {
		var acmeCall = call();
		var globex = fixture.tenant("globex");
		fixture.connect(globex, api4com, Api4comStubs.ADMIN_TOKEN);
		var globexToken = api4com.webhookToken();
		assertThat(globexToken).isNotEqualTo(acmeToken);

		// The attack: globex learnt acme's call id and posts its end to globex's own, valid webhook URL.
		var result = receiver.receive(globexToken, hangup("attack", acmeCall, null));

		assertThat(result).isEqualTo(WebhookReceiver.Result.ignored("unknown call"));
		assertThat(fixture.facts(acme, acmeCall)).isZero();
		assertThat(fixture.details(acme, acmeCall).status()).isEqualTo(CallStatus.RINGING);
		for (var tenant : new TenantId[] { acme, globex }) {
			assertThat(context.callAs(tenant, () -> jdbc.sql("select count(*) from api4com_calls where call_id = :call")
				.param("call", acmeCall.value())
				.query(Long.class)
				.single())).isZero();
		}
		// acme's own token still works for acme's call.
		assertThat(receiver.receive(acmeToken, hangup("a-real", acmeCall, null)).result()).isEqualTo("applied");
	}

	@Test
	void aDeactivatedTenantsWebhooksAre404() {
		var call = call();
		context.runAsPlatform(() -> tenants.deactivate(acme));

		assertThatThrownBy(() -> receiver.receive(acmeToken, hangup("d1", call, null)))
			.isInstanceOfSatisfying(ErrorResponseException.class,
					ex -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND));
		context.runAsPlatform(() -> tenants.reactivate(acme));
		assertThat(fixture.facts(acme, call)).isZero();
	}

	@Test
	void hangingUpNamesTheCallByTheIdItsWebhooksGaveAndTakes404AsAlreadyEnded() {
		var call = call();
		assertThatThrownBy(() -> context.runAs(acme, () -> adapter.hangUp(acmeConnection, call)))
			.isInstanceOf(ProviderException.class)
			.hasMessageContaining("has not reported this call yet");

		receiver.receive(acmeToken, create("1PkXhmBsYAvr9legLB2d7BimT0Q", call));
		api4com.liveCall("1PkXhmBsYAvr9legLB2d7BimT0Q");
		context.runAs(acme, () -> adapter.hangUp(acmeConnection, call));
		context.runAs(acme, () -> adapter.hangUp(acmeConnection, call));

		var hangups = api4com.requests(RequestMethod.POST, "/api/v1/calls/1PkXhmBsYAvr9legLB2d7BimT0Q/hangup");
		assertThat(hangups).hasSize(2);
		assertThat(hangups.get(0).getHeader("Authorization")).isEqualTo(Api4comStubs.ADMIN_TOKEN);
		assertThat(api4com.server().getAllServeEvents()
			.stream()
			.filter(event -> event.getRequest().getUrl().endsWith("/hangup"))
			.map(event -> event.getResponse().getStatus())
			.sorted()
			.toList()).containsExactly(200, 404);
	}
}
