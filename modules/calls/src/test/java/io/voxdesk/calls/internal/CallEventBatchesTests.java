package io.voxdesk.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.calls.spi.ProviderCallEvent.Type;
import io.voxdesk.tenants.Fence;
import io.voxdesk.tenants.TenantId;

import org.junit.jupiter.api.Test;

/**
 * How the event worker splits what it drained: one transaction per tenant and lease, and a tenant's unfenced group
 * (the clicks' {@code call.started} entries) before what a connector reported under its lease, whatever the order
 * they were handed in.
 */
class CallEventBatchesTests {

	static final TenantId ACME = TenantId.of("acme");

	static final TenantId GLOBEX = TenantId.of("globex");

	static final Fence LEASE = new Fence(UUID.randomUUID(), 7);

	static CallEventPipeline.Pending event(TenantId tenant, Fence fence) {
		var call = CallId.random();
		return new CallEventPipeline.Pending(tenant, fence, new ProviderCallEvent(call, "k", Type.ANSWERED,
				CallLeg.CUSTOMER, Instant.now(), null, null, null), null, new CompletableFuture<>());
	}

	static CallEventPipeline.Pending started(TenantId tenant) {
		return new CallEventPipeline.Pending(tenant, null, null, CallId.random(), new CompletableFuture<>());
	}

	@Test
	void aTenantsClicksGoBeforeWhatItsConnectorReportedUnderALease() {
		var answered = event(ACME, LEASE);
		var click = started(ACME);
		var ended = event(ACME, LEASE);
		var other = event(GLOBEX, null);

		var groups = CallEventPipeline.byTenantAndFence(List.of(answered, click, other, ended));

		assertThat(groups.keySet()).containsExactly(new CallEventPipeline.Batch(ACME, null),
				new CallEventPipeline.Batch(ACME, LEASE), new CallEventPipeline.Batch(GLOBEX, null));
		assertThat(groups.get(new CallEventPipeline.Batch(ACME, LEASE))).containsExactly(answered, ended);
		assertThat(groups.get(new CallEventPipeline.Batch(ACME, null))).containsExactly(click);
	}
}
