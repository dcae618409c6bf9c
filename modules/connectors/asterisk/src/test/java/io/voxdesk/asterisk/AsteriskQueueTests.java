package io.voxdesk.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallObserver;
import io.voxdesk.calls.CallEnded;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.CallStatus;
import io.voxdesk.calls.InboundNumberDraft;
import io.voxdesk.calls.InboundNumberManagement;
import io.voxdesk.calls.IncomingCall;
import io.voxdesk.calls.OfferObserver;
import io.voxdesk.calls.PresenceManagement;
import io.voxdesk.calls.PresenceState;
import io.voxdesk.calls.ProviderConnectionDetails;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.QueueOverflow;
import io.voxdesk.calls.QueueRoutingDraft;
import io.voxdesk.calls.QueueRoutingManagement;
import io.voxdesk.calls.RoutingStrategy;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.extensions.ExtensionDraft;
import io.voxdesk.extensions.ExtensionManagement;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.UserId;
import io.voxdesk.testing.arisim.AriSimulator;
import io.voxdesk.testing.arisim.AriSimulatorSettings;
import io.voxdesk.testing.arisim.CallScript;
import io.voxdesk.testing.arisim.SimChannel;
import io.voxdesk.testing.tenants.TestMembers;
import io.voxdesk.testing.tenants.TestTenants;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.QueueManagement;
import io.voxdesk.tickets.TicketId;
import io.voxdesk.tickets.TicketDraft;
import io.voxdesk.tickets.TicketManagement;
import io.voxdesk.tickets.TicketPriority;
import io.voxdesk.tickets.TimelineEntry;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Queues on Asterisk (ACD), against the ARI simulator: a caller waits in the call's bridge with music while Voxdesk
 * rings the queue's eligible agents as its strategy says; the first agent to answer is bridged to the caller and
 * every other agent's phone stops; an agent who rejects or does not answer is skipped; a caller nobody can take
 * goes to the overflow; another tenant's agents are never rung.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class AsteriskQueueTests {

	@Autowired
	ProviderConnectionManagement connections;

	@Autowired
	InboundNumberManagement numbers;

	@Autowired
	QueueManagement queues;

	@Autowired
	QueueRoutingManagement routing;

	@Autowired
	ExtensionManagement extensions;

	@Autowired
	CallManagement calls;

	@Autowired
	TicketManagement tickets;

	@Autowired
	ContactManagement contacts;

	@Autowired
	PresenceManagement presence;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	AriSimulator pbx;

	TenantId tenant;

	String application;

	ProviderConnectionDetails connection;

	List<UserId> agents;

	QueueId queue;

	/** The agents' extensions in the queue's order of members. */
	List<String> turns;

	String did;

	final UserId admin = UserId.of(UUID.randomUUID().toString());

	@Autowired
	RecordedOffers offered;

	/** Records what agents are told before their phone rings, and which phones had been dialled by then. */
	static final class RecordedOffers implements OfferObserver {

		record Seen(UserId agent, IncomingCall call, List<String> dialledBefore) {
		}

		final List<Seen> seen = new CopyOnWriteArrayList<>();

		volatile Supplier<List<String>> dialled = List::of;

		@Override
		public void offered(TenantId tenant, UserId agent, IncomingCall call) {
			seen.add(new Seen(agent, call, dialled.get()));
		}
	}

	/**
	 * The calls' states pushed to live views (as the realtime module's feed gets them), each with how many of the
	 * call's offers were ringing when it was pushed: what a queue board reading the offers again would show.
	 */
	static final class RecordedChanges implements CallObserver {

		record Seen(CallId call, long ringing) {
		}

		final List<Seen> seen = new CopyOnWriteArrayList<>();

		volatile @Nullable JdbcClient jdbc;

		volatile @Nullable TenantContext context;

		@Override
		public void changed(TenantId tenant, CallDetails call) {
			var reader = jdbc;
			var tenants = context;
			if (reader != null && tenants != null) {
				seen.add(new Seen(call.id(), tenants.callAs(tenant, () -> reader
					.sql("select count(*) from call_offers where call_id = ? and state = 'ringing'")
					.param(call.id().value())
					.query(Long.class)
					.single())));
			}
		}
	}

	@Autowired
	RecordedChanges changes;

	@TestConfiguration
	static class Observers {

		@Bean
		RecordedOffers recordedOffers() {
			return new RecordedOffers();
		}

		@Bean
		RecordedChanges recordedChanges() {
			return new RecordedChanges();
		}
	}

	/**
	 * Issue 16, point 12: live views hear of a call again when agents start and stop being rung for it (the offers
	 * are not in the call's record), so that the queue board shows who is rung while it happens.
	 */
	@Test
	void liveViewsHearOfACallAgainWhenItsPhonesStartAndStopRinging() {
		changes.jdbc = jdbc;
		changes.context = context;
		pbx.callIn(application, "55" + did, "Maria Souza", "48999990000");
		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 3);
		var call = callOf(ringingPhones().get("1001"));

		await().atMost(Duration.ofSeconds(10)).until(() -> changes.seen.stream()
			.anyMatch(seen -> seen.call().equals(call) && seen.ringing() == 3));

		context.callAs(tenant, () -> presence.choose(agents.get(0), PresenceState.AWAY, "lunch"));
		await().atMost(Duration.ofSeconds(10)).until(() -> changes.seen.stream()
			.anyMatch(seen -> seen.call().equals(call) && seen.ringing() == 2));
	}

	@BeforeEach
	void pbxTenantAgentsAndQueue() {
		pbx = AriSimulator.start(AriSimulatorSettings.defaults());
		var current = pbx;
		offered.dialled = current::dialled;
		pbx.defaultScript(CallScript.noAnswer());
		var fixture = new TestTenants(tenants, context);
		tenant = fixture.create("q", "Queues");
		application = connect(tenant);
		agents = List.of(agent(tenant, "ana", "1001"), agent(tenant, "bia", "1002"), agent(tenant, "caio", "1003"));
		var created = context.callAs(tenant, () -> queues.create("Support", agents));
		queue = created.id();
		// One-at-a-time strategies take turns in the queue's own order of members.
		turns = created.memberIds().stream().map(member -> "100" + (agents.indexOf(member) + 1)).toList();
		did = freshNumber();
		context.callAs(tenant, () -> numbers.create(new InboundNumberDraft(connection.id(), "+55" + did, queue, null)));
	}

	@AfterEach
	void stopPbx() {
		pbx.close();
	}

	String connect(TenantId in) {
		var created = PbxConnections.connect(connections, context, in, pbx);
		if (in.equals(tenant)) {
			connection = created;
		}
		return PbxConnections.application(in);
	}

	/** A member of the tenant (as their first sign-in makes them) with an active extension. */
	UserId agent(TenantId in, String name, String extension) {
		var user = new TestMembers(jdbc, transactions, context).add(in, name, "agent");
		context.runAs(in, () -> extensions.save(user, ExtensionDraft.of(extension, true)));
		return user;
	}

	static String freshNumber() {
		return "4833" + (100000 + ThreadLocalRandom.current().nextInt(900000));
	}

	void route(RoutingStrategy strategy, int ringSeconds, QueueOverflow overflow) {
		context.callAs(tenant, () -> routing.save(queue, new QueueRoutingDraft(strategy, ringSeconds, 300, 0, "default",
				null, overflow)));
	}

	/**
	 * Issue 16, point 4: a queue's greeting is played to the waiting caller first, and its music once the greeting
	 * ended; an agent answering meanwhile stops the greeting and no music follows.
	 */
	@Test
	void aWaitingCallerHearsTheQueuesGreetingThenItsMusic() {
		context.callAs(tenant, () -> routing.save(queue, new QueueRoutingDraft(RoutingStrategy.RING_ALL, 20, 300, 0,
				"default", "queue-thankyou", QueueOverflow.HANG_UP)));

		pbx.callIn(application, "55" + did, "Maria Souza", "48999990000");

		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 3);
		var call = callOf(ringingPhones().get("1001"));
		var bridge = "vx-b-" + call;
		assertThat(pbx.played()).contains("bridge:" + bridge + "=sound:queue-thankyou");
		// The simulated greeting lasts a second; then the queue's music.
		await().atMost(Duration.ofSeconds(10)).until(() -> pbx.bridgeMusic(bridge).isPresent());
		assertThat(pbx.bridgeMusic(bridge)).contains("default");

		pbx.answerFromFarEnd(ringingPhones().get("1001").id());
		await().atMost(Duration.ofSeconds(10)).until(() -> record(call).status() == CallStatus.ANSWERED);
	}

	@Test
	void anAgentAnsweringDuringTheGreetingStopsItAndNoMusicFollows() {
		// Nine seconds of the PBX's silence/9: still playing when the agent answers.
		context.callAs(tenant, () -> routing.save(queue, new QueueRoutingDraft(RoutingStrategy.RING_ALL, 20, 300, 0,
				"default", "silence/9", QueueOverflow.HANG_UP)));
		pbx.callIn(application, "55" + did, "Maria Souza", "48999990000");
		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 3);
		var call = callOf(ringingPhones().get("1002"));
		var bridge = "vx-b-" + call;

		pbx.answerFromFarEnd(ringingPhones().get("1002").id());

		await().atMost(Duration.ofSeconds(10)).until(() -> record(call).status() == CallStatus.ANSWERED);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(callerInStasis().bridgeId()).isEqualTo(bridge));
		assertThat(pbx.played()).containsOnlyOnce("bridge:" + bridge + "=sound:silence/9");
		// The agent and the caller talk: neither the greeting's end nor anything else starts the music.
		await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
			.until(() -> pbx.bridgeMusic(bridge).isEmpty());
	}

	/**
	 * Issue 16, point 13: the agent who took an inbound caller transfers them to another queue; the caller's line
	 * (the same channel, so a second record of one arrival) waits there as a new inbound call and that queue's agents
	 * are rung, the first call ends as transferred and its agent is released.
	 */
	@Test
	void anAgentTransfersAnInboundCallerToAnotherQueueWhoseAgentsAreRungForThem() {
		var billing = context.callAs(tenant, () -> queues.create("Billing", agents.subList(1, 3))).id();
		var caller = pbx.callIn(application, "55" + did, "Maria Souza", "48999990000");
		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 3);
		var call = callOf(ringingPhones().get("1001"));
		pbx.script("1002", CallScript.noAnswer());
		pbx.script("1003", CallScript.noAnswer());
		pbx.answerFromFarEnd(ringingPhones().get("1001").id());
		await().atMost(Duration.ofSeconds(10)).until(() -> record(call).status() == CallStatus.ANSWERED);
		var line = callerInStasis().id();

		var transferred = context.callAs(tenant, () -> calls.transferToQueue(call, billing, CurrentUser.admin(agents.get(0))));

		assertThat(transferred.transfer()).isNotNull();
		await().atMost(Duration.ofSeconds(10)).until(() -> record(call).status() == CallStatus.TRANSFERRED);
		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().keySet().equals(java.util.Set.of("1002", "1003")));
		var queued = callOf(ringingPhones().get("1002"));
		assertThat(queued).isNotEqualTo(call);
		var waiting = record(queued);
		assertThat(waiting.direction()).isEqualTo("inbound");
		assertThat(waiting.queue()).isEqualTo(billing);
		assertThat(waiting.ticket()).isEqualTo(record(call).ticket());
		assertThat(waiting.providerCallId()).isEqualTo(line);
		assertThat(callerInStasis().bridgeId()).isEqualTo("vx-b-" + queued);

		pbx.answerFromFarEnd(ringingPhones().get("1003").id());
		await().atMost(Duration.ofSeconds(10)).until(() -> record(queued).status() == CallStatus.ANSWERED);
		assertThat(record(queued).agent()).isEqualTo(agents.get(2));
		pbx.hangUpFromFarEnd(caller, 16);
		await().atMost(Duration.ofSeconds(10)).until(() -> record(queued).status() == CallStatus.COMPLETED);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
	}

	/**
	 * Longest-idle rings the agent whose last call ended longest ago (one who never had a call first): the second
	 * agent, who hung up before the first, gets the fourth caller, where round-robin would ring the first.
	 */
	@Test
	void longestIdleRingsTheAgentWhoseLastCallEndedLongestAgo() {
		route(RoutingStrategy.LONGEST_IDLE, 20, QueueOverflow.HANG_UP);
		var first = answerNext("Caller 0", "48999990010");
		var second = answerNext("Caller 1", "48999990011");
		hangUp(second);
		hangUp(first);
		var third = answerNext("Caller 2", "48999990012");
		hangUp(third);
		var fourth = answerNext("Caller 3", "48999990013");
		hangUp(fourth);
		assertThat(List.of(first.phone(), second.phone(), third.phone(), fourth.phone()))
			.containsExactly(turns.get(0), turns.get(1), turns.get(2), turns.get(1));
	}

	/**
	 * Fewest-calls rings the agent who answered the fewest calls today: the second agent, who rejected a caller,
	 * gets the next one, where round-robin would go back to the first.
	 */
	@Test
	void fewestCallsRingsTheAgentWhoAnsweredFewestToday() {
		route(RoutingStrategy.FEWEST_CALLS, 20, QueueOverflow.HANG_UP);
		hangUp(answerNext("Caller 0", "48999990020"));
		pbx.script(turns.get(1), CallScript.busy());
		var caller = pbx.callIn(application, "55" + did, "Caller 1", "48999990021");
		// The second agent has answered fewest (none) and is rung first, rejects, and the third one is rung.
		await().atMost(Duration.ofSeconds(15)).until(() -> ringingPhones().containsKey(turns.get(2)));
		var phone = ringingPhones().get(turns.get(2));
		pbx.answerFromFarEnd(phone.id());
		var skipped = new Taken(caller, callOf(phone), phone.number());
		await().atMost(Duration.ofSeconds(10)).until(() -> record(skipped.call()).status() == CallStatus.ANSWERED);
		assertThat(pbx.dialled()).containsSubsequence("PJSIP/" + turns.get(0), "PJSIP/" + turns.get(1),
				"PJSIP/" + turns.get(2));
		hangUp(skipped);
		pbx.script(turns.get(1), CallScript.noAnswer());
		var third = answerNext("Caller 2", "48999990022");
		hangUp(third);
		assertThat(List.of(skipped.phone(), third.phone())).containsExactly(turns.get(2), turns.get(1));
	}

	/** Random rings one eligible agent at a time, any of them: over twelve callers, more than one agent. */
	@Test
	void randomRingsOneAgentAtATimeAndNotAlwaysTheSame() {
		route(RoutingStrategy.RANDOM, 20, QueueOverflow.HANG_UP);
		var rung = new java.util.HashSet<String>();
		for (int i = 0; i < 12; i++) {
			var taken = answerNext("Caller " + i, "489999900" + (30 + i));
			rung.add(taken.phone());
			hangUp(taken);
		}
		assertThat(rung).hasSizeGreaterThan(1).isSubsetOf(turns);
	}

	/** A caller nobody answers within the queue's maximum wait goes to its overflow: here a goodbye, then the end. */
	@Test
	void aCallerWaitingPastTheMaximumWaitGoesToTheOverflow() {
		context.callAs(tenant, () -> routing.save(queue, new QueueRoutingDraft(RoutingStrategy.RING_ALL, 60, 10, 0,
				"default", null, QueueOverflow.HANG_UP)));
		pbx.callIn(application, "55" + did, "Maria Souza", "48999990040");
		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 3);
		var call = callOf(ringingPhones().get("1001"));

		await().atMost(Duration.ofSeconds(25)).until(() -> record(call).endedAt() != null);

		var ended = record(call);
		assertThat(ended.status()).isEqualTo(CallStatus.MISSED);
		assertThat(ended.outcome()).isEqualTo(CallOutcome.NO_ANSWER);
		assertThat(Duration.between(ended.requestedAt(), ended.endedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
		assertThat(pbx.played()).contains("bridge:vx-b-" + call + "=sound:vm-goodbye");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
	}

	/** One caller the next agent the strategy picks answered: the caller's line and the agent's extension. */
	record Taken(String caller, CallId call, String phone) {
	}

	/** A caller calls; the one phone the strategy rings answers; the caller is with that agent. */
	Taken answerNext(String name, String number) {
		var caller = pbx.callIn(application, "55" + did, name, number);
		await().atMost(Duration.ofSeconds(15)).until(() -> ringingPhones().size() == 1);
		var phone = ringingPhones().values().iterator().next();
		var call = callOf(phone);
		pbx.answerFromFarEnd(phone.id());
		await().atMost(Duration.ofSeconds(10)).until(() -> record(call).status() == CallStatus.ANSWERED);
		return new Taken(caller, call, phone.number());
	}

	void hangUp(Taken taken) {
		pbx.hangUpFromFarEnd(taken.caller(), 16);
		await().atMost(Duration.ofSeconds(10)).until(() -> record(taken.call()).status() == CallStatus.COMPLETED);
		await().atMost(Duration.ofSeconds(10)).until(() -> pbx.channels().stream()
			.noneMatch(channel -> channel.id().endsWith(taken.call().toString())));
	}

	/** The agents' phones ringing now, by extension. */
	Map<String, SimChannel> ringingPhones() {
		var ringing = new java.util.TreeMap<String, SimChannel>();
		pbx.channels()
			.stream()
			.filter(channel -> channel.id().startsWith("vx-o") && channel.state().equals("Ringing"))
			.forEach(channel -> ringing.put(channel.number(), channel));
		return ringing;
	}

	static CallId callOf(SimChannel offer) {
		return CallId.parse(offer.id().substring(offer.id().indexOf('-', 4) + 1));
	}

	CallDetails record(CallId call) {
		return context.callAs(tenant, () -> calls.find(call, CurrentUser.admin(admin))).orElseThrow();
	}

	/** The caller's channel in Stasis, the one Voxdesk answers and bridges. */
	SimChannel callerInStasis() {
		return pbx.channels().stream().filter(channel -> channel.name().endsWith(";2")).findFirst().orElseThrow();
	}

	@Test
	void ringAllRingsEveryAgentWhileTheCallerHearsMusicAndTheFirstToAnswerTakesTheCaller(Scenario scenario) {
		var caller = pbx.callIn(application, "55" + did, "Maria Souza", "48999990000");

		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 3);
		var phones = ringingPhones();
		assertThat(phones).containsOnlyKeys("1001", "1002", "1003");
		var call = callOf(phones.get("1002"));
		// Each agent was told who is calling, about which ticket and from which queue, before their phone rang.
		var told = offered.seen.stream().filter(seen -> seen.call().call().equals(call)).toList();
		assertThat(told).extracting(RecordedOffers.Seen::agent).containsExactlyInAnyOrderElementsOf(agents);
		assertThat(told).allSatisfy(seen -> {
			var extension = "PJSIP/100" + (agents.indexOf(seen.agent()) + 1);
			assertThat(seen.dialledBefore()).doesNotContain(extension);
			assertThat(seen.call().contactName()).isEqualTo("+5548999990000");
			assertThat(seen.call().callerName()).isEqualTo("Maria Souza");
			assertThat(seen.call().ticketSubject()).isEqualTo("Call from Maria Souza (+5548999990000)");
			assertThat(seen.call().queueName()).isEqualTo("Support");
			assertThat(seen.call().dialled()).isEqualTo("+55" + did);
		});
		assertThat(phones.values()).extracting(AsteriskQueueTests::callOf).containsOnly(call);
		// The caller is answered and waits in the call's bridge with the queue's music.
		var waiting = callerInStasis();
		assertThat(waiting.state()).isEqualTo("Up");
		assertThat(waiting.bridgeId()).isEqualTo("vx-b-" + call);
		assertThat(pbx.bridgeMusic("vx-b-" + call)).contains("default");
		assertThat(record(call).status()).isEqualTo(CallStatus.RINGING);
		assertThat(phones.get("1002").variables()).containsEntry("PJSIP_HEADER(add,X-Voxdesk-Call-Id)", call.toString());

		pbx.answerFromFarEnd(phones.get("1002").id());

		await().atMost(Duration.ofSeconds(10)).until(() -> record(call).status() == CallStatus.ANSWERED);
		var taken = record(call);
		assertThat(taken.agent()).isEqualTo(agents.get(1));
		assertThat(taken.agentName()).isEqualTo("bia");
		assertThat(taken.agentExtension()).isEqualTo("1002");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(ringingPhones()).isEmpty();
			assertThat(pbx.channels()).extracting(SimChannel::number).doesNotContain("1001", "1003");
			var bia = pbx.channels().stream().filter(channel -> channel.number().equals("1002")).findFirst().orElseThrow();
			assertThat(bia.bridgeId()).isEqualTo("vx-b-" + call);
		});
		assertThat(pbx.bridgeMusic("vx-b-" + call)).isEmpty();

		// The caller became a contact, the call landed on their ticket in the queue, and the ticket is Bia's now.
		var ticket = taken.ticket();
		assertThat(ticket).isNotNull();
		assertThat(taken.contact()).isNotNull();
		await().atMost(Duration.ofSeconds(10)).until(() -> agents.get(1).equals(context.callAs(tenant,
				() -> tickets.find(ticket, CurrentUser.SYSTEM)).orElseThrow().assigneeId()));

		scenario.stimulate(() -> pbx.hangUpFromFarEnd(caller, 16))
			.andWaitForEventOfType(CallEnded.class)
			.matching(ended -> ended.callId().equals(call))
			.toArriveAndVerify(ended -> assertThat(ended.status()).isEqualTo(CallStatus.COMPLETED));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(callEntries(ticket))
			.extracting(TimelineEntry::type)
			.containsExactly("call.started", "call.answered", "call.ended"));
		assertThat(callEntries(ticket)).extracting(TimelineEntry::summary)
			.first()
			.isEqualTo("Call from +5548999990000 to +55" + did);
		assertThat(callEntries(ticket).get(1).summary()).startsWith("Call answered by bia after ");
	}

	List<TimelineEntry> callEntries(TicketId ticket) {
		return context.callAs(tenant, () -> tickets.timeline(ticket, 0, 100, CurrentUser.SYSTEM))
			.stream()
			.filter(entry -> entry.type().startsWith("call."))
			.toList();
	}

	@Test
	void twoAgentsAnsweringTogetherGetOneCallerBetweenThem() {
		pbx.callIn(application, "55" + did, "Maria Souza", "48999990000");
		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 3);
		var phones = ringingPhones();
		var call = callOf(phones.get("1001"));

		// Both pick up in the same instant: their StasisStarts reach Voxdesk one after the other, in either order.
		pbx.answerFromFarEnd(phones.get("1001").id());
		pbx.answerFromFarEnd(phones.get("1003").id());

		await().atMost(Duration.ofSeconds(10)).until(() -> record(call).status() == CallStatus.ANSWERED);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pbx.channels()
			.stream()
			.filter(channel -> channel.id().startsWith("vx-o"))
			.toList()).hasSize(1));
		var winner = pbx.channels().stream().filter(channel -> channel.id().startsWith("vx-o")).findFirst().orElseThrow();
		assertThat(winner.bridgeId()).isEqualTo("vx-b-" + call);
		assertThat(record(call).agentExtension()).isEqualTo(winner.number());
		assertThat(context.callAs(tenant, () -> jdbc.sql("select count(*) from call_offers where call_id = ? and state = "
				+ "'answered'").param(call.value()).query(Long.class).single())).isEqualTo(1);
	}

	@Test
	void roundRobinRingsOneAgentAtATimeTakingTurns() {
		route(RoutingStrategy.ROUND_ROBIN, 20, QueueOverflow.HANG_UP);
		var rung = new java.util.ArrayList<String>();
		for (int i = 0; i < 4; i++) {
			var caller = pbx.callIn(application, "55" + did, "Caller " + i, "4899999000" + i);
			await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 1);
			var phone = ringingPhones().values().iterator().next();
			rung.add(phone.number());
			var call = callOf(phone);
			pbx.answerFromFarEnd(phone.id());
			await().atMost(Duration.ofSeconds(10)).until(() -> record(call).status() == CallStatus.ANSWERED);
			pbx.hangUpFromFarEnd(caller, 16);
			await().atMost(Duration.ofSeconds(10)).until(() -> record(call).status() == CallStatus.COMPLETED);
			await().atMost(Duration.ofSeconds(10)).until(() -> pbx.channels().isEmpty());
		}
		assertThat(rung).containsExactly(turns.get(0), turns.get(1), turns.get(2), turns.get(0));
	}

	@Test
	void anAgentWhoRejectsOrDoesNotAnswerIsSkippedForTheNext() {
		route(RoutingStrategy.ROUND_ROBIN, 5, QueueOverflow.HANG_UP);
		pbx.script(turns.get(0), CallScript.busy());
		pbx.callIn(application, "55" + did, "Maria Souza", "48999990000");

		// The first agent rejects at once; the second one's phone rings its 5 s out; the third one's rings next.
		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().containsKey(turns.get(1)));
		var call = callOf(ringingPhones().get(turns.get(1)));
		await().atMost(Duration.ofSeconds(15)).until(() -> ringingPhones().containsKey(turns.get(2)));
		assertThat(ringingPhones()).containsOnlyKeys(turns.get(2));
		assertThat(context.callAs(tenant, () -> jdbc.sql("select state from call_offers where call_id = ? order by seq")
			.param(call.value())
			.query(String.class)
			.list())).containsExactly("declined", "missed", "ringing");
		assertThat(pbx.dialled()).containsSubsequence("PJSIP/" + turns.get(0), "PJSIP/" + turns.get(1),
				"PJSIP/" + turns.get(2));
	}

	@Test
	void theCallerHangingUpWhileAgentsRingStopsEveryPhoneAndLeavesAnAbandonedCall(Scenario scenario) {
		var caller = pbx.callIn(application, "55" + did, "Maria Souza", "48999990000");
		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 3);
		var call = callOf(ringingPhones().get("1001"));

		scenario.stimulate(() -> pbx.hangUpFromFarEnd(caller, 16))
			.andWaitForEventOfType(CallEnded.class)
			.matching(ended -> ended.callId().equals(call))
			.toArriveAndVerify(ended -> {
				assertThat(ended.status()).isEqualTo(CallStatus.MISSED);
				assertThat(ended.outcome()).isEqualTo(CallOutcome.ABANDONED);
			});
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pbx.channels()).isEmpty());
		assertThat(context.callAs(tenant, () -> jdbc.sql("select distinct state from call_offers where call_id = ?")
			.param(call.value())
			.query(String.class)
			.list())).containsExactly("cancelled");
		var ticket = record(call).ticket();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(callEntries(ticket))
			.extracting(TimelineEntry::type)
			.containsExactly("call.started", "call.missed"));
		assertThat(callEntries(ticket).get(1).summary()).startsWith("Missed call: the caller hung up after waiting ");
	}

	/**
	 * Issue 16, point 18: callers are recorded and held on several threads at once, and each caller's own events
	 * follow their arrival. Ten callers hanging up the moment they arrive, while their records are still being
	 * written: each call ends abandoned, no agent's phone is left ringing and no channel is left in Stasis.
	 */
	@Test
	void callersHangingUpWhileTheirArrivalsAreStillBeingRecordedLeaveNoCallOpenAndNoPhoneRinging() {
		// The application's event socket is up: a call into an application nobody listens to never enters Stasis.
		await().atMost(Duration.ofSeconds(15)).until(() -> pbx.openEventSockets() > 0);
		for (var i = 0; i < 10; i++) {
			var caller = pbx.callIn(application, "55" + did, "Caller " + i, "4899999010" + i);
			var entered = i + 1;
			// Hung up the moment the PBX sent its StasisStart, before Voxdesk can have recorded them.
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(1))
				.until(() -> pbx.history().stream().filter(moment -> moment.contains(" stasis-start ")).count() == entered);
			pbx.hangUpFromFarEnd(caller, 16);
		}

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			assertThat(context.callAs(tenant, () -> jdbc
				.sql("select count(*) from calls where direction = 'inbound' and ended_at is not null")
				.query(Long.class)
				.single())).isEqualTo(10);
			assertThat(pbx.channels()).isEmpty();
		});
		var ids = context.callAs(tenant, () -> jdbc.sql("select id from calls where direction = 'inbound'")
			.query(java.util.UUID.class)
			.list());
		assertThat(ids).hasSize(10);
		assertThat(ids).allSatisfy(id -> {
			var call = record(CallId.of(id));
			assertThat(call.status()).isEqualTo(CallStatus.MISSED);
			assertThat(call.outcome()).isEqualTo(CallOutcome.ABANDONED);
		});
		assertThat(context.callAs(tenant, () -> jdbc.sql("select count(*) from call_offers where state = 'ringing'")
			.query(Long.class)
			.single())).isZero();
	}

	@Test
	void aQueueNobodyCanAnswerSendsTheCallerToItsOverflowQueueAndAnEmptyOneLetsThemGo(Scenario scenario) {
		var empty = context.callAs(tenant, () -> queues.create("Night", List.of())).id();
		var nightNumber = freshNumber();
		context.callAs(tenant, () -> numbers.create(new InboundNumberDraft(connection.id(), "+55" + nightNumber, empty,
				null)));
		context.callAs(tenant, () -> routing.save(empty, new QueueRoutingDraft(RoutingStrategy.RING_ALL, 20, 300, 0,
				"default", null, new QueueOverflow(QueueOverflow.Target.QUEUE, queue, null, null))));

		// Nobody in Night: the caller moves to Support, whose agents ring.
		pbx.callIn(application, "55" + nightNumber, "Maria Souza", "48999990000");
		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 3);
		var moved = callOf(ringingPhones().get("1001"));
		assertThat(record(moved).queue()).isEqualTo(queue);
		pbx.hangUpFromFarEnd(pbx.channels().stream().filter(c -> c.name().endsWith(";1")).findFirst().orElseThrow().id(), 16);
		await().atMost(Duration.ofSeconds(10)).until(() -> pbx.channels().isEmpty());

		// Nobody in Night and it hangs up: the caller hears the goodbye, then the call ends unanswered.
		context.callAs(tenant, () -> routing.save(empty, new QueueRoutingDraft(RoutingStrategy.RING_ALL, 20, 300, 0,
				"default", null, QueueOverflow.HANG_UP)));
		scenario.stimulate(() -> pbx.callIn(application, "55" + nightNumber, "Rui", "48999991111"))
			.andWaitForEventOfType(CallEnded.class)
			.matching(ended -> ended.tenantId().equals(tenant) && !ended.callId().equals(moved))
			.toArriveAndVerify(ended -> {
				assertThat(ended.status()).isEqualTo(CallStatus.MISSED);
				assertThat(ended.outcome()).isEqualTo(CallOutcome.NO_ANSWER);
				assertThat(record(ended.callId()).queue()).isEqualTo(empty);
			});
		assertThat(pbx.dialled()).filteredOn(endpoint -> endpoint.startsWith("PJSIP/")).hasSize(3);
	}

	/**
	 * Issue 16, point 18: ring-all under a burst. Two callers wait while everyone is away; as the agents come back,
	 * the free agents are shared between the callers instead of all ringing for the first while the second waits.
	 */
	@Test
	void ringAllSharesTheFreeAgentsAmongCallersWaitingTogether() {
		route(RoutingStrategy.RING_ALL, 20, QueueOverflow.HANG_UP);
		agents.forEach(agent -> context.callAs(tenant, () -> presence.choose(agent, PresenceState.AWAY, "lunch")));
		pbx.callIn(application, "55" + did, "Maria Souza", "48999990000");
		pbx.callIn(application, "55" + did, "João Lima", "48999990001");
		await().atMost(Duration.ofSeconds(10)).until(() -> context.callAs(tenant, () -> jdbc
			.sql("select count(*) from calls where direction = 'inbound' and queued_at is not null and ended_at is null")
			.query(Long.class)
			.single()) == 2);

		agents.forEach(agent -> context.callAs(tenant, () -> presence.choose(agent, PresenceState.AVAILABLE, null)));

		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 3);
		var rungFor = ringingPhones().values().stream().map(AsteriskQueueTests::callOf).distinct().toList();
		assertThat(rungFor).as("the callers the three phones ring for").hasSize(2);
	}

	/**
	 * Issue 16, points 4 and 6: an agent whose call just ended wraps up for the queue's wrap-up time and is not rung
	 * meanwhile; the next caller waits for them (everyone else is away) and is offered to them once it is over.
	 */
	@Test
	void anAgentWrappingUpIsNotRungUntilTheWrapUpIsOver() {
		context.callAs(tenant, () -> routing.save(queue, new QueueRoutingDraft(RoutingStrategy.RING_ALL, 20, 300, 3,
				"default", null, QueueOverflow.HANG_UP)));
		context.callAs(tenant, () -> presence.choose(agents.get(1), PresenceState.AWAY, "lunch"));
		context.callAs(tenant, () -> presence.choose(agents.get(2), PresenceState.AWAY, "lunch"));
		var first = answerNext("Maria Souza", "48999990000");
		assertThat(first.phone()).isEqualTo("1001");
		hangUp(first);
		var ended = record(first.call()).endedAt();

		pbx.callIn(application, "55" + did, "João Lima", "48999990001");
		await().atMost(Duration.ofSeconds(15)).until(() -> ringingPhones().containsKey("1001"));
		var next = callOf(ringingPhones().get("1001"));
		var offeredAt = context.callAs(tenant, () -> jdbc.sql("select offered_at from call_offers where call_id = ?")
			.param(next.value())
			.query(java.sql.Timestamp.class)
			.single()).toInstant();
		assertThat(Duration.between(ended, offeredAt)).as("from the end of Maria's call to João's offer")
			.isGreaterThanOrEqualTo(Duration.ofSeconds(3));
	}

	/**
	 * Issue 16, point 18: callers are recorded side by side, not one after the other on the connection's event
	 * thread. A caller whose record has to wait (here another transaction holds their open ticket, as an agent
	 * saving it does) does not hold back the next caller, who is recorded and rung meanwhile; the first one is
	 * recorded once their ticket is free.
	 */
	@Test
	void aCallerWhoseRecordWaitsDoesNotHoldBackTheNextCaller() throws Exception {
		route(RoutingStrategy.RING_ALL, 20, QueueOverflow.HANG_UP);
		var release = new CountDownLatch(1);
		var holder = holdTicketOf("+5548999990000", release);
		try {
			pbx.callIn(application, "55" + did, "Maria Souza", "48999990000");
			pbx.callIn(application, "55" + did, "João Lima", "48999990001");

			await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 3);
			var rungFor = ringingPhones().values().stream().map(AsteriskQueueTests::callOf).distinct().toList();
			assertThat(rungFor).hasSize(1);
			assertThat(record(rungFor.getFirst()).number()).isEqualTo("+5548999990001");
			assertThat(inboundRecords()).as("Maria's record, waiting for her ticket").isEqualTo(1);
		}
		finally {
			release.countDown();
			holder.get(10, TimeUnit.SECONDS);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> inboundRecords() == 2);
	}

	/**
	 * Holds the open ticket of a contact with {@code number} locked, as an agent's transaction saving it does, until
	 * {@code release}; returns once it is locked.
	 */
	CompletableFuture<Void> holdTicketOf(String number, CountDownLatch release) throws InterruptedException {
		var contact = context.callAs(tenant, () -> contacts.findOrCreateByPhone(number, "Maria Souza"));
		var ticket = context.callAs(tenant, () -> tickets.create(new TicketDraft("Invoice", TicketPriority.NORMAL,
				contact.id(), queue, null, null), CurrentUser.SYSTEM));
		var locked = new CountDownLatch(1);
		var holder = CompletableFuture.runAsync(() -> context.runAs(tenant, () -> transactions
			.executeWithoutResult(status -> {
				jdbc.sql("select id from tickets where id = ? for update").param(ticket.id().value()).query().listOfRows();
				locked.countDown();
				try {
					release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			})));
		assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
		return holder;
	}

	long inboundRecords() {
		return context.callAs(tenant, () -> jdbc.sql("select count(*) from calls where direction = 'inbound'")
			.query(Long.class)
			.single());
	}

	@Test
	void anAgentWhoIsAwayIsNotRungAndOneGoingAwayWhileRungStopsRinging() {
		context.callAs(tenant, () -> presence.choose(agents.get(0), PresenceState.AWAY, "lunch"));

		pbx.callIn(application, "55" + did, "Maria Souza", "48999990000");
		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 2);
		assertThat(ringingPhones()).containsOnlyKeys("1002", "1003");

		// Bia goes to a meeting while her phone rings: it stops, Caio's rings on.
		context.callAs(tenant, () -> presence.choose(agents.get(1), PresenceState.AWAY, "meeting"));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ringingPhones()).containsOnlyKeys("1003"));

		// Ana is back: ring-all rings her too.
		context.callAs(tenant, () -> presence.choose(agents.get(0), PresenceState.AVAILABLE, null));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ringingPhones()).containsOnlyKeys("1001",
				"1003"));
		assertThat(context.callAs(tenant, () -> presence.of(agents.get(1))).state()).isEqualTo(PresenceState.AWAY);
	}

	/** Point 6: on Asterisk an agent whose phone is not registered is not eligible, as the PBX's endpoint says. */
	@Test
	void anAgentWhosePhoneIsNotRegisteredIsNotRungUntilItRegisters() {
		pbx.endpointState("PJSIP", "1001", "offline");
		pbx.endpointState("PJSIP", "1002", "online");

		pbx.callIn(application, "55" + did, "Maria Souza", "48999990000");
		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 2);
		assertThat(ringingPhones()).containsOnlyKeys("1002", "1003");

		// Ana's phone registers (the PBX says so on the socket): ring-all rings her too.
		pbx.endpointState("PJSIP", "1001", "online");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ringingPhones()).containsOnlyKeys("1001",
				"1002", "1003"));
		assertThat(pbx.dialled()).filteredOn("PJSIP/1001"::equals).hasSize(1);
	}

	@Test
	void anotherTenantsAgentsAreNeverRung() {
		var other = new TestTenants(tenants, context).create("o", "Other");
		connect(other);
		var stranger = agent(other, "outsider", "2001");
		context.callAs(other, () -> queues.create("Their support", List.of(stranger)));

		pbx.callIn(application, "55" + did, "Maria Souza", "48999990000");

		await().atMost(Duration.ofSeconds(10)).until(() -> ringingPhones().size() == 3);
		assertThat(ringingPhones()).containsOnlyKeys("1001", "1002", "1003");
		assertThat(pbx.dialled()).doesNotContain("PJSIP/2001");
	}
}
