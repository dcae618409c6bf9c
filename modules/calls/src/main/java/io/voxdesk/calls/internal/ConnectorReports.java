package io.voxdesk.calls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.HangupCause;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.spi.CallReports;
import io.voxdesk.calls.spi.CampaignHandover;
import io.voxdesk.calls.spi.DirectCall;
import io.voxdesk.calls.spi.InboundCall;
import io.voxdesk.calls.spi.InboundRoute;
import io.voxdesk.calls.spi.OfferAnswer;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.tenants.CurrentUser;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** What connectors report, handed to the event pipeline and the call workflow. */
@Component
class ConnectorReports implements CallReports {

	private final CallEventPipeline pipeline;

	private final CallWorkflow workflow;

	private final CallControl control;

	private final InboundReception reception;

	private final CallDistribution distribution;

	ConnectorReports(CallEventPipeline pipeline, CallWorkflow workflow, CallControl control,
			InboundReception reception, CallDistribution distribution) {
		this.pipeline = pipeline;
		this.workflow = workflow;
		this.control = control;
		this.reception = reception;
		this.distribution = distribution;
	}

	@Override
	public Optional<CallId> placedDirectly(DirectCall call) {
		return reception.placedDirectly(call);
	}

	@Override
	public OfferAnswer offerAnswered(CallId call, int offer, Instant at) {
		return distribution.offerAnswered(call, offer, at);
	}

	@Override
	public void offerEnded(CallId call, int offer, @Nullable HangupCause cause, Instant at) {
		distribution.offerEnded(call, offer, cause, at);
	}

	@Override
	public List<Integer> ringingOffers(CallId call) {
		return distribution.ringingOffers(call);
	}

	@Override
	public InboundRoute arrived(InboundCall call) {
		return reception.receive(call);
	}

	@Override
	public InboundRoute campaignHandedOver(CampaignHandover handover) {
		return reception.campaignHandedOver(handover);
	}

	@Override
	public boolean apply(ProviderCallEvent event) {
		return pipeline.apply(event);
	}

	@Override
	public CompletableFuture<Boolean> submit(ProviderCallEvent event) {
		return pipeline.submit(event);
	}

	@Override
	public void attachRecording(CallId call, String format, InputStream audio) throws IOException {
		control.attachRecording(call, format, audio);
	}

	@Override
	public Optional<CallDetails> find(CallId call) {
		return workflow.find(call, CurrentUser.SYSTEM);
	}

	@Override
	public List<CallDetails> openCalls(ProviderConnectionId connection) {
		return workflow.openCalls(connection);
	}

	@Override
	public void settleLost(CallId call, String reason, @Nullable Instant endedBy) {
		workflow.settleLost(call, reason, endedBy);
	}
}
