package io.voxdesk.calls.spi;

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

import org.jspecify.annotations.Nullable;

/**
 * The port through which connectors report what their provider did with Voxdesk's calls, in the tenant scope of the
 * connection the news came from.
 */
public interface CallReports {

	/**
	 * Applies a fact about a call. Repeated and out-of-order facts are safe. Returns once the change is committed;
	 * inside the caller's transaction, it is part of that transaction.
	 *
	 * @return whether the call record changed.
	 */
	boolean apply(ProviderCallEvent event);

	/**
	 * Hands in a fact without waiting for it to be applied, for connectors whose facts arrive one after another on
	 * one thread (an ARI socket): facts handed in by one thread are applied in that order.
	 *
	 * @return completes with whether the call record changed, once that is committed.
	 */
	CompletableFuture<Boolean> submit(ProviderCallEvent event);

	/**
	 * Stores a call's recording fetched from the provider and marks the call as recorded; storing the same recording
	 * again replaces the file and changes nothing else.
	 *
	 * @param format {@code wav} or {@code mp3}.
	 */
	void attachRecording(CallId call, String format, InputStream audio) throws IOException;

	/**
	 * Records a call that reached the tenant and decides where it goes: the connector refuses it (as an unallocated
	 * number) when the answer says so, and otherwise keeps the caller waiting for an agent. Announcing the same
	 * provider call again returns the first decision and creates nothing.
	 */
	InboundRoute arrived(InboundCall call);

	/**
	 * A key of a voice campaign's menu hands the person on the line to a queue or a user: they wait for an agent as
	 * an inbound call, which the connector keeps waiting (as for {@link #arrived}). The same handover reported again
	 * returns the first decision.
	 */
	InboundRoute campaignHandedOver(CampaignHandover handover);

	/**
	 * Records a call an extension placed without Voxdesk; the same provider call reported again is the same record.
	 *
	 * @return the call's record, empty when no user of the tenant has the extension (nobody to record it for).
	 */
	Optional<CallId> placedDirectly(DirectCall call);

	/**
	 * An agent answered offer {@code offer} of a waiting inbound call: the first answer takes the caller, and the
	 * answer says which of the call's other offers to withdraw; a later answer is told it was answered elsewhere.
	 */
	OfferAnswer offerAnswered(CallId call, int offer, Instant at);

	/**
	 * Offer {@code offer} ended unanswered (rejected, not answered in time, the phone unreachable, or withdrawn):
	 * Voxdesk rings the next agent. Repeats, and ends of offers already settled, change nothing.
	 *
	 * @param cause the provider's cause, which tells a rejection from a timeout.
	 */
	void offerEnded(CallId call, int offer, @Nullable HangupCause cause, Instant at);

	/**
	 * The offers of a waiting inbound call that Voxdesk still takes for ringing, for a connector reconciling after an
	 * outage: one whose agent leg is gone ended unanswered while nobody was listening.
	 */
	List<Integer> ringingOffers(CallId call);

	/** The call as Voxdesk has it, to tell whether a provider's news is about one of this connector's calls. */
	Optional<CallDetails> find(CallId call);

	/** The connection's calls that have not ended, for a connector reconciling after an outage. */
	List<CallDetails> openCalls(ProviderConnectionId connection);

	/**
	 * Ends a call the provider no longer knows, at the connector's best evidence of when it ended at the latest (when
	 * its connection to the provider dropped, say; {@code null}: when it was last heard of), never before the call's
	 * last known fact; the ending is marked estimated.
	 */
	void settleLost(CallId call, String reason, @Nullable Instant endedBy);
}
