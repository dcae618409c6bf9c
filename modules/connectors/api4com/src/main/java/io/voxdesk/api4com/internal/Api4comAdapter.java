package io.voxdesk.api4com.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.voxdesk.api4com.Api4comSettings;
import io.voxdesk.api4com.internal.Api4comHttp.Reply;
import io.voxdesk.api4com.internal.Api4comHttp.Unreachable;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.HangupCause;
import io.voxdesk.calls.ProviderConnectionDraft;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.spi.CallReports;
import io.voxdesk.calls.spi.Capability;
import io.voxdesk.calls.spi.ConnectionCheck;
import io.voxdesk.calls.spi.ConnectorDescription;
import io.voxdesk.calls.spi.ConnectorSetting;
import io.voxdesk.calls.spi.OutboundCall;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.calls.spi.SipEndpoint;
import io.voxdesk.calls.spi.TelephonyConnector;
import io.voxdesk.tenants.SecretPurpose;
import io.voxdesk.tenants.TenantContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The calls SPI on API4COM's HTTP API. Click-to-call goes through {@code POST /dialer}, which rings the agent's
 * extension first and then the customer; what happens next arrives by webhook.
 */
@Component
@Order(2)
class Api4comAdapter implements TelephonyConnector {

	private static final Logger log = LoggerFactory.getLogger(Api4comAdapter.class);

	/** The kind this connector drives. */
	static final ProviderKind KIND = ProviderKind.of("api4com");

	private static final String DOMAIN = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+";

	/**
	 * {@code domain} is the account's SIP domain ({@code acme.api4com.com}), optional: "Test connection" shows it,
	 * and personal extensions take it (and {@code wss://<domain>:6443}) as their default SIP server. API4COM records
	 * on its own; {@code recording} is accepted so that forms shared with Asterisk can send it.
	 */
	private static final ConnectorDescription DESCRIPTION = new ConnectorDescription(KIND, "API4COM", List.of(
			ConnectorSetting.secret("token", "API token"),
			ConnectorSetting.url("baseUrl", "API base URL").withExample(Api4comHttp.DEFAULT_BASE_URL),
			ConnectorSetting.flag("recording", "Record calls"),
			ConnectorSetting.text("domain", "SIP domain of the account")
				.withExample("acme.api4com.com")
				.withPattern("(?=.{1,253}$)" + DOMAIN, "a host name such as acme.api4com.com")),
			EnumSet.of(Capability.CLICK_TO_CALL, Capability.INBOUND));

	/** How long a dialer request may go on after it was taken as dialing, so that a late refusal is still seen. */
	private static final Duration DIALER_ANSWER = Duration.ofSeconds(60);

	private final Api4comHttp http;

	private final Api4comCheck check;

	private final WebhookRegistration webhooks;

	private final WebhookStore store;

	private final Api4comCallIds callIds;

	private final CallReports calls;

	private final TenantContext context;

	private final Api4comSettings settings;

	private final Clock clock;

	Api4comAdapter(Api4comHttp http, WebhookRegistration webhooks, WebhookStore store, Api4comCallIds callIds,
			CallReports calls, TenantContext context, Api4comSettings settings, Optional<Clock> clock) {
		this.http = http;
		this.check = new Api4comCheck(http, settings);
		this.webhooks = webhooks;
		this.store = store;
		this.callIds = callIds;
		this.calls = calls;
		this.context = context;
		this.settings = settings;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	@Override
	public ConnectorDescription description() {
		return DESCRIPTION;
	}

	/** Kept from before connectors declared their secret: stored tokens are encrypted for it. */
	@Override
	public SecretPurpose secretPurpose() {
		return SecretPurpose.of("api4com.token");
	}

	/**
	 * Phones register at {@code wss://<account domain>:6443} with the account domain as realm. The connector learns
	 * that domain only while testing the connection and keeps it nowhere, so it comes from the optional {@code domain}
	 * setting; without it there is no suggestion rather than a guess.
	 */
	@Override
	public Optional<SipEndpoint> sipEndpoint(Map<String, String> settings) {
		return Optional.ofNullable(settings.get("domain"))
			.map(String::strip)
			.filter(domain -> !domain.isEmpty())
			.map(domain -> new SipEndpoint(domain, "wss://" + domain + ":6443"));
	}

	/** LoopBack reads "Bearer x" as base64 and refuses it like a wrong token: better said now than at the first call. */
	@Override
	public void validate(ProviderConnectionDraft draft) {
		var secret = draft.secret();
		if (secret != null && (secret.regionMatches(true, 0, "Bearer ", 0, 7)
				|| secret.chars().anyMatch(Character::isWhitespace))) {
			throw new IllegalArgumentException("The API token must be sent alone, without 'Bearer' or spaces: API4COM "
					+ "expects the raw token.");
		}
	}

	@Override
	public ConnectionCheck test(ProviderConnection connection) {
		return check.run(connection, store.find(connection.id()).orElse(null), webhooks.publicBaseUrl());
	}

	/**
	 * Asks the dialer to ring the agent and then the customer. The dialer often answers only after a while, so
	 * after the acknowledgement timeout the call is taken as dialing (as API4COM's integrators do); should the
	 * dialer refuse later, the call still ends as failed with its words.
	 */
	@Override
	public String originate(ProviderConnection connection, OutboundCall call) {
		var body = Json.object();
		body.put("extension", call.agentExtension());
		body.put("phone", call.number());
		var metadata = body.putObject("metadata");
		metadata.put("gateway", Api4comFacts.GATEWAY);
		metadata.put("voxdeskCallId", call.call().toString());
		metadata.put("voxdeskTenant", connection.tenant().value());
		var answer = http.sendAsync(connection, "POST", "/dialer", body, DIALER_ANSWER);
		Reply reply;
		try {
			reply = answer.get(settings.dialerAcknowledgeTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			log.info("Call {}: API4COM's dialer has not answered within {}; taking the call as dialing", call.call(),
					Api4comHttp.seconds(settings.dialerAcknowledgeTimeout()));
			answer.thenAccept(late -> {
				if (!late.ok()) {
					refusedLate(connection, call, late);
				}
			});
			return "";
		}
		catch (ExecutionException ex) {
			var why = ex.getCause() instanceof Unreachable unreachable ? unreachable.getMessage() : "unknown failure";
			throw new ProviderException("API4COM could not be reached to place the call: " + why + ".");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ProviderException("Placing the call through API4COM was interrupted.");
		}
		if (!reply.ok()) {
			throw new ProviderException(refusal(connection, call, reply));
		}
		// The dialer's id names the dial request, not the call: webhooks and hangups use another id.
		return Json.text(reply.json(), "id");
	}

	private void refusedLate(ProviderConnection connection, OutboundCall call, Reply reply) {
		var reason = refusal(connection, call, reply);
		log.warn("Call {}: {}", call.call(), reason);
		var text = reason.length() > 100 ? reason.substring(0, 99) + "…" : reason;
		try {
			context.runAs(connection.tenant(), () -> calls.apply(new ProviderCallEvent(call.call(),
					"api4com:dialer-refused:" + call.call(), ProviderCallEvent.Type.ENDED, CallLeg.AGENT, clock.instant(),
					null, new HangupCause(String.valueOf(reply.status()), text, CallOutcome.FAILED), null)));
		}
		catch (RuntimeException ex) {
			log.error("Call {}: recording the dialer's late refusal failed", call.call(), ex);
		}
	}

	private static String refusal(ProviderConnection connection, OutboundCall call, Reply reply) {
		if (reply.says("user not registered")) {
			return "API4COM could not ring extension " + call.agentExtension() + ": the agent's webphone is not "
					+ "registered (is it open and online?).";
		}
		if (reply.tokenRejected()) {
			return "API4COM rejected the connection's token (HTTP " + reply.status() + ").";
		}
		return "API4COM refused the call: " + Api4comHttp.hide(reply.message(), connection);
	}

	/**
	 * Hangs the call up by API4COM's id, which only its webhooks tell; a call that has not been reported yet (the
	 * agent's extension is still ringing) cannot be named to API4COM.
	 */
	@Override
	public void hangUp(ProviderConnection connection, CallId call) {
		var id = callIds.find(call)
			.orElseThrow(() -> new ProviderException("API4COM has not reported this call yet (the agent's extension "
					+ "is probably still ringing), so Voxdesk cannot name it to hang up; reject it on the webphone."));
		Reply reply;
		try {
			reply = http.send(connection, "POST", "/calls/" + Api4comHttp.query(id) + "/hangup", null,
					settings.requestTimeout());
		}
		catch (Unreachable ex) {
			throw new ProviderException("API4COM could not be reached to hang up: " + ex.getMessage() + ".");
		}
		if (reply.ok() || reply.status() == 404) {
			// 404: API4COM no longer has the call, it has ended already; its hangup webhook tells how.
			return;
		}
		if (reply.tokenRejected()) {
			throw new ProviderException("API4COM rejected the connection's token (HTTP " + reply.status() + ").");
		}
		throw new ProviderException("API4COM could not hang up: " + Api4comHttp.hide(reply.message(), connection));
	}

	@Override
	public void connectionChanged(ProviderConnection connection) {
		if (connection.enabled()) {
			webhooks.register(connection);
		}
	}

	@Override
	public void connectionRemoved(ProviderConnectionId id) {
		webhooks.forget(id);
	}
}
