package io.voxdesk.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.HangupCause;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.TransferMode;
import io.voxdesk.calls.TransferState;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.calls.spi.ProviderCallEvent.Type;
import io.voxdesk.tenants.UserId;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;

/** The call record's lifecycle: status derived from facts, whatever the order or repetition of events. */
class CallLifecycleTests {

	static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	final CallId id = CallId.random();

	CallRecord call() {
		return CallRecord.outbound(id, ProviderConnectionId.of(UUID.randomUUID()), ProviderKind.of("asterisk"),
				UserId.of("ana"), "Ana", "1001", "+554833328530", null, null, false, T0);
	}

	ProviderCallEvent event(Type type, CallLeg leg, int second, @Nullable HangupCause cause) {
		return new ProviderCallEvent(id, type + ":" + leg + ":" + second, type, leg, T0.plusSeconds(second), null,
				cause, null);
	}

	static final HangupCause NORMAL = new HangupCause("16", "Normal Clearing", null);

	static final HangupCause BUSY = new HangupCause("17", "User busy", CallOutcome.BUSY);

	List<ProviderCallEvent> answeredCallWithHold() {
		return List.of(event(Type.ANSWERED, CallLeg.AGENT, 2, null), event(Type.RINGING, CallLeg.CUSTOMER, 3, null),
				event(Type.ANSWERED, CallLeg.CUSTOMER, 10, null), event(Type.HELD, CallLeg.CUSTOMER, 20, null),
				event(Type.RESUMED, CallLeg.CUSTOMER, 35, null), event(Type.ENDED, CallLeg.CUSTOMER, 70, NORMAL),
				event(Type.ENDED, CallLeg.AGENT, 71, NORMAL));
	}

	@Test
	void anAnsweredCallGoesThroughItsStatesAndCountsTalkWithoutHold() {
		var call = call();
		var seen = new ArrayList<CallStatus>();
		for (var event : answeredCallWithHold()) {
			call.apply(event, T0);
			seen.add(call.status());
		}
		assertThat(seen).containsExactly(CallStatus.RINGING, CallStatus.RINGING, CallStatus.ANSWERED,
				CallStatus.ON_HOLD, CallStatus.ANSWERED, CallStatus.COMPLETED, CallStatus.COMPLETED);
		var details = call.toDetails();
		assertThat(details.outcome()).isEqualTo(CallOutcome.ANSWERED);
		assertThat(details.holdSeconds()).isEqualTo(15);
		assertThat(details.talkSeconds()).isEqualTo(60 - 15);
		assertThat(details.endedAt()).isEqualTo(T0.plusSeconds(70));
		assertThat(details.hangupCause()).isEqualTo("16 Normal Clearing");
	}

	/**
	 * Answers and endings may come in any order and more than once (a record that first looked unanswered says its
	 * ending was revised, which is the only difference allowed). Holds are not shuffled: Voxdesk starts them
	 * itself and the connector that reports them (ARI) delivers one call's events in order on one socket.
	 */
	@Test
	void anyOrderAndAnyRepetitionOfTheSameEventsGivesTheSameRecord() {
		var reference = call();
		answeredCallWithHold().forEach(event -> reference.apply(event, T0));
		var random = new Random(42);
		for (var round = 0; round < 200; round++) {
			var facts = new ArrayList<>(answeredCallWithHold().stream()
				.filter(event -> event.type() != Type.HELD && event.type() != Type.RESUMED)
				.toList());
			facts.addAll(facts.subList(0, random.nextInt(facts.size())));
			Collections.shuffle(facts, random);
			var hold = answeredCallWithHold().stream()
				.filter(event -> event.type() == Type.HELD || event.type() == Type.RESUMED)
				.toList();
			var events = new ArrayList<ProviderCallEvent>();
			var holdAt = random.nextInt(facts.size() + 1);
			events.addAll(facts.subList(0, holdAt));
			events.addAll(hold);
			events.addAll(facts.subList(holdAt, facts.size()));
			var call = call();
			events.forEach(event -> call.apply(event, T0));
			assertThat(call.toDetails()).as("order %s", events.stream().map(ProviderCallEvent::key).toList())
				.usingRecursiveComparison()
				.ignoringFields("endingRevised")
				.isEqualTo(reference.toDetails());
		}
	}

	@Test
	void aHangupReportedBeforeTheAnswerIsCorrectedWhenTheAnswerArrives() {
		var call = call();
		var ended = call.apply(event(Type.ENDED, CallLeg.CUSTOMER, 30, NORMAL), T0);
		assertThat(ended.ended()).isTrue();
		assertThat(call.status()).isEqualTo(CallStatus.CANCELLED);
		var answered = call.apply(event(Type.ANSWERED, CallLeg.CUSTOMER, 12, null), T0);
		assertThat(answered.answered()).isTrue();
		assertThat(answered.endingCorrected()).isTrue();
		assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(call.talkSeconds()).isEqualTo(18);
	}

	@Test
	void unansweredEndingsFollowTheProvidersCause() {
		var busy = call();
		busy.apply(event(Type.ANSWERED, CallLeg.AGENT, 2, null), T0);
		busy.apply(event(Type.ENDED, CallLeg.CUSTOMER, 5, BUSY), T0);
		assertThat(busy.status()).isEqualTo(CallStatus.BUSY);
		assertThat(busy.outcome()).isEqualTo(CallOutcome.BUSY);

		var agentNeverPickedUp = call();
		agentNeverPickedUp.apply(event(Type.ENDED, CallLeg.AGENT, 30,
				new HangupCause("19", "User alerting, no answer", CallOutcome.NO_ANSWER)), T0);
		assertThat(agentNeverPickedUp.status()).isEqualTo(CallStatus.NO_ANSWER);

		var agentGaveUp = call();
		agentGaveUp.apply(event(Type.ANSWERED, CallLeg.AGENT, 2, null), T0);
		agentGaveUp.requestCancel(T0.plusSeconds(9));
		agentGaveUp.apply(event(Type.ENDED, CallLeg.CUSTOMER, 10, NORMAL), T0);
		assertThat(agentGaveUp.status()).isEqualTo(CallStatus.CANCELLED);
	}

	@Test
	void theFirstEndingWinsAndLaterEndingsOfTheOtherLegChangeNothing() {
		var call = call();
		call.apply(event(Type.ANSWERED, CallLeg.AGENT, 2, null), T0);
		call.apply(event(Type.ENDED, CallLeg.CUSTOMER, 5, BUSY), T0);
		var second = call.apply(event(Type.ENDED, CallLeg.AGENT, 6, NORMAL), T0);
		assertThat(second).isEqualTo(CallRecord.Change.NONE);
		assertThat(call.toDetails().hangupCause()).isEqualTo("17 User busy");
	}

	@Test
	void springDataReadsTheVersionThroughAGetterWithoutFallingBackToTheField() {
		var wrapper = new BeanWrapperImpl(call());

		assertThat(wrapper.isReadableProperty("version")).isTrue();
		assertThat(wrapper.getPropertyValue("version")).isNull();
	}

	@Test
	void aFailureToPlaceTheCallEndsItWithTheReason() {
		var call = call();
		var change = call.fail("The PBX refused the call: Allocation failed", T0.plusSeconds(1));
		assertThat(change.ended()).isTrue();
		assertThat(call.status()).isEqualTo(CallStatus.FAILED);
		assertThat(call.toDetails().failureReason()).contains("Allocation failed");
	}

	/**
	 * The PBX died 60 s into the conversation; Voxdesk heard of nothing after the answer, and learnt when the
	 * connection dropped. The ending is that moment, marked as estimated, not the last event (a talk of 0 s).
	 */
	@Test
	void aCallLostWithThePbxEndsWhenTheConnectionDroppedAndSaysTheEndingIsEstimated() {
		var call = call();
		call.apply(event(Type.ANSWERED, CallLeg.AGENT, 2, null), T0.plusSeconds(2));
		call.apply(event(Type.ANSWERED, CallLeg.CUSTOMER, 5, null), T0.plusSeconds(5));

		var change = call.settleLost("The PBX went away during the call.", T0.plusSeconds(65), T0.plusSeconds(90));

		assertThat(change.ended()).isTrue();
		var details = call.toDetails();
		assertThat(details.status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(details.endedAt()).isEqualTo(T0.plusSeconds(65));
		assertThat(details.talkSeconds()).isEqualTo(60);
		assertThat(details.endingEstimated()).isTrue();
		assertThat(details.failureReason()).isEqualTo("The PBX went away during the call.");
	}

	/**
	 * A waiting caller whose line the PBX no longer has when Voxdesk comes back (a restart, a lost socket) hung up while
	 * nobody listened: a missed call, abandoned, its ending estimated; an outbound call nobody answered failed.
	 */
	@Test
	void aWaitingCallerLostWhileDisconnectedIsAMissedCallAndAnUnansweredClickFailed() {
		var caller = inbound();
		caller.settleLost("lost", T0.plusSeconds(20), T0.plusSeconds(40));
		assertThat(caller.toDetails().status()).isEqualTo(CallStatus.MISSED);
		assertThat(caller.toDetails().outcome()).isEqualTo(CallOutcome.ABANDONED);
		assertThat(caller.toDetails().endingEstimated()).isTrue();

		var click = call();
		click.settleLost("lost", T0.plusSeconds(20), T0.plusSeconds(40));
		assertThat(click.toDetails().status()).isEqualTo(CallStatus.FAILED);
	}

	@Test
	void anEstimatedEndingIsNeverBeforeTheLastFactNorAfterTheSettlement() {
		var early = call();
		early.apply(event(Type.ANSWERED, CallLeg.CUSTOMER, 30, null), T0.plusSeconds(30));
		early.settleLost("lost", T0.plusSeconds(10), T0.plusSeconds(40));
		assertThat(early.toDetails().endedAt()).isEqualTo(T0.plusSeconds(30));

		var late = call();
		late.apply(event(Type.ANSWERED, CallLeg.CUSTOMER, 30, null), T0.plusSeconds(30));
		late.settleLost("lost", T0.plusSeconds(500), T0.plusSeconds(40));
		assertThat(late.toDetails().endedAt()).isEqualTo(T0.plusSeconds(40));

		var unknown = call();
		unknown.apply(event(Type.ANSWERED, CallLeg.CUSTOMER, 30, null), T0.plusSeconds(31));
		unknown.settleLost("lost", null, T0.plusSeconds(99));
		assertThat(unknown.toDetails().endedAt()).isEqualTo(T0.plusSeconds(31));
		assertThat(unknown.toDetails().endingEstimated()).isTrue();
	}

	@Test
	void aReportedEndingIsNotEstimated() {
		var call = call();
		for (var event : answeredCallWithHold()) {
			call.apply(event, T0);
		}
		assertThat(call.toDetails().endingEstimated()).isFalse();
		call.settleLost("lost", T0.plusSeconds(500), T0.plusSeconds(600));
		assertThat(call.toDetails().endedAt()).isEqualTo(T0.plusSeconds(70));
		assertThat(call.toDetails().endingEstimated()).isFalse();
	}

	ProviderCallEvent target(int attempt, Type type, int second, @Nullable HangupCause cause) {
		return ProviderCallEvent.ofTarget(id, attempt, "target:" + attempt + ":" + type + ":" + second, type,
				T0.plusSeconds(second), null, cause);
	}

	CallRecord answered() {
		var call = call();
		call.apply(event(Type.ANSWERED, CallLeg.AGENT, 2, null), T0);
		call.apply(event(Type.ANSWERED, CallLeg.CUSTOMER, 10, null), T0);
		return call;
	}

	/** After a completed transfer the agent's leg ending releases the agent; the conversation ends with the target. */
	@Test
	void aCompletedTransferOutlivesTheAgentAndEndsAsTransferredWithTheTarget() {
		var call = answered();
		call.startTransfer(TransferMode.BLIND, "1002", T0.plusSeconds(20));
		assertThat(call.toDetails().transfer().state()).isEqualTo(TransferState.RINGING);

		call.apply(target(1, Type.ANSWERED, 25, null), T0);
		call.apply(target(1, Type.TRANSFERRED, 25, null), T0);
		call.apply(event(Type.ENDED, CallLeg.AGENT, 26, NORMAL), T0);

		assertThat(call.status()).isEqualTo(CallStatus.ANSWERED);
		assertThat(call.toDetails().transfer().state()).isEqualTo(TransferState.COMPLETED);
		call.apply(target(1, Type.ENDED, 90, NORMAL), T0);
		var ended = call.toDetails();
		assertThat(ended.status()).isEqualTo(CallStatus.TRANSFERRED);
		assertThat(ended.endedAt()).isEqualTo(T0.plusSeconds(90));
		assertThat(ended.talkSeconds()).isEqualTo(80);
	}

	/** A busy target leaves the conversation with the agent, whose hangup then ends the call as completed. */
	@Test
	void aBusyTargetIsAFailedTransferAndTheCallGoesOnWithTheAgent() {
		var call = answered();
		call.startTransfer(TransferMode.BLIND, "1003", T0.plusSeconds(20));
		call.apply(target(1, Type.ENDED, 21, BUSY), T0);

		var transfer = call.toDetails().transfer();
		assertThat(transfer.state()).isEqualTo(TransferState.BUSY);
		assertThat(transfer.detail()).isEqualTo("1003 was busy (17 User busy); the customer stayed with the agent.");
		assertThat(call.status()).isEqualTo(CallStatus.ANSWERED);
		call.apply(event(Type.ENDED, CallLeg.AGENT, 40, NORMAL), T0);
		assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
	}

	/** News of an earlier attempt, arriving late, cannot complete or fail the attempt in progress. */
	@Test
	void factsOfAnEarlierAttemptChangeNothing() {
		var call = answered();
		call.startTransfer(TransferMode.ATTENDED, "1003", T0.plusSeconds(20));
		call.requestTransferCancel(T0.plusSeconds(22));
		call.apply(target(1, Type.ENDED, 23, NORMAL), T0);
		assertThat(call.toDetails().transfer().state()).isEqualTo(TransferState.CANCELLED);
		call.startTransfer(TransferMode.ATTENDED, "1004", T0.plusSeconds(30));

		call.apply(target(1, Type.TRANSFERRED, 31, null), T0);
		call.apply(target(1, Type.ENDED, 32, BUSY), T0);

		var transfer = call.toDetails().transfer();
		assertThat(transfer.attempt()).isEqualTo(2);
		assertThat(transfer.state()).isEqualTo(TransferState.RINGING);
		assertThat(transfer.destination()).isEqualTo("1004");
	}

	/** The call ending while the target rings gives the transfer up, whatever its end reports later. */
	@Test
	void aTransferStillRingingWhenTheCallEndsIsCancelled() {
		var call = answered();
		call.startTransfer(TransferMode.BLIND, "1005", T0.plusSeconds(20));
		call.apply(event(Type.ENDED, CallLeg.CUSTOMER, 25, NORMAL), T0);
		assertThat(call.toDetails().transfer().state()).isEqualTo(TransferState.CANCELLED);
		call.apply(target(1, Type.ENDED, 26, NORMAL), T0);

		var details = call.toDetails();
		assertThat(details.status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(details.transfer().state()).isEqualTo(TransferState.CANCELLED);
		assertThat(details.transfer().detail()).isEqualTo("The call ended before the transfer to 1005 was completed.");
	}

	/** The target's end may be applied before the completion that preceded it: the call still ends with it. */
	@Test
	void aTargetEndAppliedBeforeTheCompletionStillEndsTheCall() {
		var call = answered();
		call.startTransfer(TransferMode.ATTENDED, "1006", T0.plusSeconds(20));
		call.apply(target(1, Type.ANSWERED, 22, null), T0);
		call.apply(target(1, Type.ENDED, 60, NORMAL), T0);
		call.apply(target(1, Type.TRANSFERRED, 40, null), T0);

		assertThat(call.status()).isEqualTo(CallStatus.TRANSFERRED);
		assertThat(call.toDetails().endedAt()).isEqualTo(T0.plusSeconds(60));
	}

	CallRecord inbound() {
		return CallRecord.inbound(id, ProviderConnectionId.of(UUID.randomUUID()), ProviderKind.of("asterisk"),
				"1795300186.15", "+5548999990000", "Alice", "+554833335555", null, null, T0, T0);
	}

	/** An inbound caller nobody answered is a missed call: whether they gave up or were let go stays apart. */
	@Test
	void anInboundCallNobodyAnsweredIsMissedAbandonedByTheCallerOrNotAnswered() {
		var abandoned = inbound();
		abandoned.apply(event(Type.ENDED, CallLeg.CUSTOMER, 30, NORMAL), T0);
		assertThat(abandoned.status()).isEqualTo(CallStatus.MISSED);
		assertThat(abandoned.outcome()).isEqualTo(CallOutcome.ABANDONED);

		var unanswered = inbound();
		unanswered.apply(event(Type.ENDED, CallLeg.AGENT, 20, NORMAL), T0);
		assertThat(unanswered.status()).isEqualTo(CallStatus.MISSED);
		assertThat(unanswered.outcome()).isEqualTo(CallOutcome.NO_ANSWER);
		// The same facts on an outbound call are not a missed call.
		var outbound = call();
		outbound.apply(event(Type.ENDED, CallLeg.CUSTOMER, 30, NORMAL), T0);
		assertThat(outbound.status()).isEqualTo(CallStatus.CANCELLED);
	}

	/** A refused inbound call ends at once as not configured; the end of the caller's line changes nothing. */
	@Test
	void aRefusedInboundCallEndsAsNotConfiguredWithItsReason() {
		var call = inbound();
		var change = call.refuse("Not configured: nobody routed +554833335555", T0.plusSeconds(1));
		assertThat(change.ended()).isTrue();
		// Stamped by the PBX's clock, which may run behind Voxdesk's.
		call.apply(event(Type.ENDED, CallLeg.CUSTOMER, 0, new HangupCause("1", "Unallocated (unassigned) number",
				CallOutcome.FAILED)), T0);

		var details = call.toDetails();
		assertThat(details.status()).isEqualTo(CallStatus.FAILED);
		assertThat(details.outcome()).isEqualTo(CallOutcome.NOT_CONFIGURED);
		assertThat(details.failureReason()).isEqualTo("Not configured: nobody routed +554833335555");
		assertThat(details.endingRevised()).isFalse();
		assertThat(details.agent()).isNull();
		assertThat(details.direction()).isEqualTo("inbound");
	}
}
