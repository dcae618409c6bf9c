package io.voxdesk.testing.fakepbx;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;
import io.voxdesk.calls.HangupCause;
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
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The "Fake PBX" connector and the PBX itself, in memory: accounts with API keys, and calls that ring, answer and end
 * when a test says so, reported back through {@link CallReports} as a real provider's news would be.
 */
@Component
public class FakePbx implements TelephonyConnector {

	/** The kind this connector adds. */
	public static final ProviderKind KIND = ProviderKind.of("fakepbx");

	private static final ConnectorDescription DESCRIPTION = new ConnectorDescription(KIND, "Fake PBX", List.of(
			ConnectorSetting.text("account", "Account name")
				.withRequired()
				.withExample("globex")
				.withPattern("[a-z]{3,20}", "3 to 20 lowercase letters"),
			ConnectorSetting.secret("apiKey", "API key")
				.withPattern("fk_[a-z0-9]{8,40}", "fk_ followed by 8 to 40 lowercase letters or digits"),
			ConnectorSetting.text("region", "Region").withDefault("sa-east"),
			ConnectorSetting.number("answerAfterSeconds", "Answer after (seconds)", 0, 60).withExample("5"),
			ConnectorSetting.text("sipDomain", "SIP domain").withExample("globex.fakepbx.test"),
			ConnectorSetting.url("statusUrl", "Status page").withExample("https://status.fakepbx.test"),
			ConnectorSetting.flag("recording", "Record calls")),
			EnumSet.of(Capability.CLICK_TO_CALL, Capability.HOLD, Capability.DTMF));

	private static final HangupCause NORMAL_CLEARING = new HangupCause("16", "Normal Clearing", null);

	private final CallReports reports;

	private final TenantContext context;

	private final Map<String, String> keys = new ConcurrentHashMap<>();

	private final Map<CallId, Dialed> calls = new ConcurrentHashMap<>();

	private final List<String> controls = new CopyOnWriteArrayList<>();

	private final AtomicInteger facts = new AtomicInteger();

	/**
	 * @param accounts accounts open from the start, {@code account:key,…}, for a test that cannot reach this bean
	 *     (a browser test against the application process).
	 */
	FakePbx(CallReports reports, TenantContext context,
			@Value("${voxdesk.testing.fakepbx.accounts:}") String accounts) {
		this.reports = reports;
		this.context = context;
		for (var account : accounts.split(",")) {
			var parts = account.strip().split(":", 2);
			if (parts.length == 2) {
				openAccount(parts[0], parts[1]);
			}
		}
	}

	/** A click-to-call the PBX was asked to place, and where it was asked from. */
	public record Dialed(TenantId tenant, ProviderConnectionId connection, String providerId, OutboundCall call) {
	}

	@Override
	public ConnectorDescription description() {
		return DESCRIPTION;
	}

	@Override
	public Optional<SipEndpoint> sipEndpoint(Map<String, String> settings) {
		return Optional.ofNullable(settings.get("sipDomain"))
			.map(domain -> new SipEndpoint(domain, "wss://" + domain + ":7443/ws"));
	}

	/** Opens an account on the PBX: connections naming it must present this key. */
	public void openAccount(String account, String apiKey) {
		keys.put(account, apiKey);
	}

	@Override
	public ConnectionCheck test(ProviderConnection connection) {
		var account = connection.setting("account");
		var known = keys.containsKey(account);
		var accepted = known && keys.get(account).equals(connection.secret());
		var steps = List.of(new ConnectionCheck.Step("account", known, known ? account : "no account " + account),
				new ConnectionCheck.Step("API key", accepted, accepted ? "accepted" : "refused"));
		return new ConnectionCheck(accepted, accepted ? "Fake PBX account " + account + " is ready"
				: known ? "The Fake PBX refused the API key" : "The Fake PBX has no account " + account, steps, 1);
	}

	@Override
	public String originate(ProviderConnection connection, OutboundCall call) {
		var test = test(connection);
		if (!test.ok()) {
			throw new ProviderException(test.summary());
		}
		var providerId = "fake-" + call.call();
		calls.put(call.call(), new Dialed(connection.tenant(), connection.id(), providerId, call));
		report(call.call(), ProviderCallEvent.Type.RINGING, CallLeg.AGENT, null);
		return providerId;
	}

	@Override
	public void hangUp(ProviderConnection connection, CallId call) {
		controls.add("hangUp " + call);
		// A PBX confirms a hang-up later, by event: handed in without waiting, as an event socket would.
		var dialed = calls.get(call);
		if (dialed != null) {
			reports.submit(fact(dialed, ProviderCallEvent.Type.ENDED, CallLeg.CUSTOMER, NORMAL_CLEARING));
			reports.submit(fact(dialed, ProviderCallEvent.Type.ENDED, CallLeg.AGENT, NORMAL_CLEARING));
		}
	}

	@Override
	public void hold(ProviderConnection connection, CallId call) {
		controls.add("hold " + call);
	}

	@Override
	public void resume(ProviderConnection connection, CallId call) {
		controls.add("resume " + call);
	}

	@Override
	public void sendDtmf(ProviderConnection connection, CallId call, String digits) {
		controls.add("dtmf " + call + " " + digits);
	}

	/** The call as the PBX was asked to place it, once it was. */
	public Optional<Dialed> dialed(CallId call) {
		return Optional.ofNullable(calls.get(call));
	}

	/** The controls received, e.g. {@code hold <call id>}, in order. */
	public List<String> controls() {
		return List.copyOf(controls);
	}

	/** The agent picks up, then the customer's phone rings and is answered. */
	public void agentAndCustomerAnswer(CallId call) {
		report(call, ProviderCallEvent.Type.ANSWERED, CallLeg.AGENT, null);
		report(call, ProviderCallEvent.Type.RINGING, CallLeg.CUSTOMER, null);
		report(call, ProviderCallEvent.Type.ANSWERED, CallLeg.CUSTOMER, null);
	}

	/** The customer hangs up, and the PBX releases the agent. */
	public void customerHangsUp(CallId call) {
		end(call, CallLeg.CUSTOMER);
		end(call, CallLeg.AGENT);
	}

	private void end(CallId call, CallLeg leg) {
		report(call, ProviderCallEvent.Type.ENDED, leg, NORMAL_CLEARING);
	}

	/** Reports a fact as the PBX's own news, in the tenant scope of the connection that placed the call. */
	private void report(CallId call, ProviderCallEvent.Type type, CallLeg leg, @Nullable HangupCause cause) {
		var dialed = calls.get(call);
		if (dialed == null) {
			throw new IllegalStateException("The Fake PBX never placed call " + call);
		}
		context.runAs(dialed.tenant(), () -> reports.apply(fact(dialed, type, leg, cause)));
	}

	private ProviderCallEvent fact(Dialed dialed, ProviderCallEvent.Type type, CallLeg leg, @Nullable HangupCause cause) {
		return new ProviderCallEvent(dialed.call().call(), "fakepbx:" + facts.incrementAndGet(), type, leg,
				Instant.now(), dialed.providerId(), cause, null);
	}
}
