package io.voxdesk.calls.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallsSettings;
import io.voxdesk.calls.ProviderConnectionDetails;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.ProviderOutcomeUnknownException;
import io.voxdesk.calls.internal.ProviderConnectionWorkflow.EnabledConnection;
import io.voxdesk.calls.spi.OutboundCall;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.calls.spi.TelephonyConnector;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * The dialer records a click's failure only when the provider refused: when the answer was lost (a relayed originate
 * whose holder died after taking it), the PBX may be ringing the agent, so the record stays open for the PBX's
 * events or the sweeper to settle. A click is never held up by the dials in progress, and a database out of reach
 * never makes the dialer report a failure it did not see.
 */
class CallDialerTests {

	static final TenantId TENANT = TenantId.of("acme");

	CallControl control = mock(CallControl.class);

	CallWorkflow workflow = mock(CallWorkflow.class);

	ProviderConnectionWorkflow connections = mock(ProviderConnectionWorkflow.class);

	TenantContext context = mock(TenantContext.class);

	TelephonyConnector connector = mock(TelephonyConnector.class);

	CallDialer dialer;

	EnabledConnection enabled;

	ProviderConnection connection;

	OutboundCall call = new OutboundCall(CallId.random(), "1001", "+554833328530", "Ana", false);

	@BeforeEach
	void dialer() {
		var settings = new CallsSettings(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofMinutes(10),
				Duration.ofHours(4), Duration.ofHours(24), 200, 1, Duration.ofSeconds(30), Duration.ofSeconds(60),
				Duration.ofSeconds(15), Duration.ofSeconds(15));
		dialer = new CallDialer(control, workflow, connections, context, settings, mock(DurableCommits.class),
				Optional.empty());
		var id = ProviderConnectionId.of(UUID.randomUUID());
		var kind = ProviderKind.of("asterisk");
		enabled = new EnabledConnection(new ProviderConnectionDetails(id, kind, "PBX", true, Map.of(), true,
				Instant.now(), Instant.now()), "ciphertext");
		connection = new ProviderConnection(id, TENANT, kind, "PBX", true, Map.of(), "secret");
		doAnswer(invocation -> {
			invocation.getArgument(1, Runnable.class).run();
			return null;
		}).when(context).runAs(eq(TENANT), any(Runnable.class));
		when(connections.unsealed(enabled)).thenReturn(connection);
		when(control.connector(connection)).thenReturn(connector);
	}

	@Test
	void aLostAnswerLeavesTheRecordOpen() {
		when(connector.originate(connection, call))
			.thenThrow(new ProviderOutcomeUnknownException("took the request but did not answer"));
		dialer.dialNow(TENANT, enabled, call, Instant.now());
		verify(connector).originate(connection, call);
		verify(workflow, never()).fail(any(), anyString());
	}

	@Test
	void aRefusalFailsTheRecordWithTheProvidersReason() {
		when(connector.originate(connection, call)).thenThrow(new ProviderException("The PBX refused: no channel"));
		dialer.dialNow(TENANT, enabled, call, Instant.now());
		verify(workflow).fail(call.call(), "The PBX refused: no channel");
	}

	@Test
	void aClickIsNeverHeldUpByDialsInProgress() throws Exception {
		// dial() runs in the click's after-commit, while the click still holds its pooled connection.
		var release = new CountDownLatch(1);
		when(connector.originate(connection, call)).thenAnswer(invocation -> {
			release.await();
			return null;
		});
		var dials = CallDialer.CONCURRENT_DIALS + 10;
		try {
			assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
				for (var n = 0; n < dials; n++) {
					dialer.dial(TENANT, enabled, call, Instant.now());
				}
			}, "a click waited for a dial slot");
		}
		finally {
			release.countDown();
		}
		verify(connector, timeout(10_000).times(dials)).originate(connection, call);
	}

	@Test
	void aDatabaseOutOfReachWhenTheFailureIsRecordedDoesNotEscapeTheDialThread() {
		when(connector.originate(connection, call)).thenThrow(new ProviderException("The PBX refused: no channel"));
		doThrow(new CannotGetJdbcConnectionException("pool exhausted")).when(workflow).fail(any(), anyString());
		assertThatCode(() -> dialer.dialNow(TENANT, enabled, call, Instant.now())).doesNotThrowAnyException();
	}

	@Test
	void aFailureAfterThePbxHasTheCallNeverMarksItFailed() {
		when(workflow.hangUpPending(call.call())).thenThrow(new CannotGetJdbcConnectionException("pool exhausted"));
		dialer.dialNow(TENANT, enabled, call, Instant.now());
		verify(connector).originate(connection, call);
		verify(workflow, never()).fail(any(), anyString());
	}

	@Test
	void aDatabaseErrorWhileARelayedOriginateWaitsForItsAnswerLeavesTheRecordOpen() {
		// The holder may have placed it; the requester only failed to read the answer.
		when(connector.originate(connection, call)).thenThrow(new CannotGetJdbcConnectionException("pool exhausted"));
		dialer.dialNow(TENANT, enabled, call, Instant.now());
		verify(workflow, never()).fail(any(), anyString());
	}

	@Test
	void aDatabaseOutOfReachBeforeTheProviderWasAskedFailsTheCall() {
		when(connections.unsealed(enabled)).thenThrow(new CannotGetJdbcConnectionException("pool exhausted"));
		dialer.dialNow(TENANT, enabled, call, Instant.now());
		verify(connector, never()).originate(any(), any());
		verify(workflow).fail(call.call(), "The call could not be placed: Voxdesk's database was out of reach; please call again.");
	}
}
