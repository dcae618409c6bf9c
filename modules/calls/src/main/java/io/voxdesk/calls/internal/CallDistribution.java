package io.voxdesk.calls.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.HangupCause;
import io.voxdesk.calls.IncomingCall;
import io.voxdesk.calls.OfferObserver;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.QueueOverflow;
import io.voxdesk.calls.QueueRouting;
import io.voxdesk.calls.QueueRoutingManagement;
import io.voxdesk.calls.RoutingStrategy;
import io.voxdesk.calls.spi.AgentOffer;
import io.voxdesk.calls.spi.OfferAnswer;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.calls.spi.TelephonyConnector;
import io.voxdesk.contacts.ContactDetails;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.extensions.AgentLine;
import io.voxdesk.extensions.ExtensionManagement;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.MemberDirectory;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantMember;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueDetails;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.QueueManagement;
import io.voxdesk.tickets.TicketDetails;
import io.voxdesk.tickets.TicketId;
import io.voxdesk.tickets.TicketManagement;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Distributes waiting inbound callers to agents (ACD). Each pass, per tenant under a database lock, looks at the
 * callers waiting oldest first and rings the eligible agents their queue's strategy picks (everyone at once for
 * ring-all, shared among the callers when several wait unrung; one at a time otherwise), or sends a caller to the
 * overflow when the maximum wait passed or nobody in
 * the queue can take calls. An agent is eligible when they are a member of the queue (or the one user the number
 * routes to), have an active extension, are available, have no call in progress, no other caller ringing and no wrap-up time left.
 * Passes run after each arrival and each offer that ended, and every second for waits and wrap-ups that ran out.
 */
@Component
class CallDistribution implements MeterBinder, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(CallDistribution.class);

	/** A caller bounced from queue to queue this often is let go: two empty queues overflowing into each other. */
	private static final int MAX_OVERFLOWS = 3;

	private final Calls calls;

	private final CallOffers offers;

	private final QueueManagement queues;

	private final QueueRoutingManagement routing;

	private final ExtensionManagement extensions;

	private final MemberDirectory members;

	private final CallControl control;

	private final CallWorkflow workflow;

	private final TicketManagement tickets;

	private final WrapUps wrapUps;

	private final ContactManagement contacts;

	private final ObjectProvider<OfferObserver> observers;

	private final CallObservers callObservers;

	private final JdbcClient jdbc;

	private final TenantContext context;

	private final TransactionTemplate transactions;

	private final Clock clock;

	/** One pass at a time in this instance; the database lock orders passes of several instances. */
	private final ExecutorService passes = Executors.newSingleThreadExecutor(
			Thread.ofPlatform().name("call-distribution").daemon().factory());

	/** Where the agent legs a pass decided on are originated, several at a time. */
	private final ExecutorService ringing = Executors.newFixedThreadPool(4,
			Thread.ofPlatform().name("call-rings-", 0).daemon().factory());

	/**
	 * Where an answered call's ticket is given to its agent: on the passes' thread it held up the pass the answer
	 * queued (and the next caller's) for the tickets module's work.
	 */
	private final ExecutorService assignments = Executors.newSingleThreadExecutor(
			Thread.ofPlatform().name("call-assignments").daemon().factory());

	/** Tenants with a pass queued, so a burst of arrivals queues one pass, not one per arrival. */
	private final Set<TenantId> queued = ConcurrentHashMap.newKeySet();

	CallDistribution(Calls calls, CallOffers offers, QueueManagement queues, QueueRoutingManagement routing,
			ExtensionManagement extensions, MemberDirectory members, CallControl control, CallWorkflow workflow,
			TicketManagement tickets, WrapUps wrapUps, ContactManagement contacts, ObjectProvider<OfferObserver> observers,
			CallObservers callObservers, JdbcClient jdbc, TenantContext context, PlatformTransactionManager transactions,
			Optional<Clock> clock) {
		this.callObservers = callObservers;
		this.tickets = tickets;
		this.wrapUps = wrapUps;
		this.contacts = contacts;
		this.observers = observers;
		this.calls = calls;
		this.offers = offers;
		this.queues = queues;
		this.routing = routing;
		this.extensions = extensions;
		this.members = members;
		this.control = control;
		this.workflow = workflow;
		this.jdbc = jdbc;
		this.context = context;
		this.transactions = new TransactionTemplate(transactions);
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/** A pass for the tenant once the current transaction commits (at once without one). */
	void dispatchAfterCommit(TenantId tenant) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			dispatchSoon(tenant);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				dispatchSoon(tenant);
			}
		});
	}

	private void dispatchSoon(TenantId tenant) {
		if (queued.add(tenant)) {
			passes.execute(() -> {
				queued.remove(tenant);
				dispatch(tenant);
			});
		}
	}

	/** Every tenant with callers waiting gets a pass: waits and wrap-ups run out without any event saying so. */
	@Scheduled(fixedDelayString = "${voxdesk.calls.distribution-interval:1s}",
			initialDelayString = "${voxdesk.calls.distribution-interval:1s}")
	void tick() {
		try {
			jdbc.sql("select tenant_id from tenants_with_waiting_calls()")
				.query((rs, row) -> TenantId.of(rs.getString(1)))
				.list()
				.forEach(this::dispatchSoon);
		}
		catch (RuntimeException ex) {
			log.warn("Listing tenants with waiting callers failed: {}", ex.getMessage());
		}
	}

	/** What a pass decided, done once its transaction committed: the provider is asked outside of it. */
	private sealed interface Action {
	}

	/** Rings an agent; {@code provider} is the call's connection as the pass found it (not looked up again). */
	private record Ring(AgentOffer offer, UserId agent, IncomingCall incoming, Provider provider) implements Action {
	}

	private record Withdraw(CallId call, int offer) implements Action {
	}

	private record Release(CallId call, @Nullable String message) implements Action {
	}

	/** One pass for the tenant: decides in one transaction, then asks the provider. */
	void dispatch(TenantId tenant) {
		try {
			var actions = context.callAs(tenant, () -> transactions.execute(status -> plan(tenant)));
			if (actions == null || actions.isEmpty()) {
				return;
			}
			// The phones of one pass ring together (ring-all rings a whole queue): each ring waits for the PBX's
			// answer to its originate. The pass ends when they all did, so the next pass sees them.
			var rings = actions.stream()
				.filter(Ring.class::isInstance)
				.map(action -> CompletableFuture.runAsync(() -> context.runAs(tenant, () -> perform(action)), ringing))
				.toList();
			context.runAs(tenant, () -> actions.stream().filter(action -> !(action instanceof Ring)).forEach(this::perform));
			CompletableFuture.allOf(rings.toArray(CompletableFuture[]::new)).join();
		}
		catch (RuntimeException ex) {
			log.warn("Distributing the waiting callers of tenant {} failed: {}", tenant, ex.toString());
		}
	}

	private List<Action> plan(TenantId tenant) {
		calls.lockClicksOf("distribution:" + tenant.value());
		var now = clock.instant();
		// One statement, so one snapshot: read apart, an answer committing in between showed its agent neither ringing
		// (the first read came after it) nor on the call (the second came before), and the agent was rung for a second
		// caller while talking to the first. Away and offline agents are not rung; those who never chose are available.
		var busy = new HashSet<>(jdbc.sql("""
				select agent_id from calls
				 where ended_at is null and agent_id is not null and transfer_completed_at is null
				union select user_id from call_offers where state = 'ringing'
				union select user_id from agent_presence where state <> 'available'""")
			.query((rs, row) -> UserId.of(rs.getString(1)))
			.list());
		var lines = new HashMap<UserId, Optional<AgentLine>>();
		var routings = new HashMap<QueueId, QueueRouting>();
		var memberships = new HashMap<QueueId, List<UserId>>();
		var providers = new HashMap<ProviderConnectionId, Provider>();
		// Per pass, not per caller: whether an agent's phone can ring on a connection, and whether they wrap up,
		// do not depend on the caller; under a burst a pass looks at hundreds of callers.
		var reachability = new HashMap<ProviderConnectionId, Map<UserId, Boolean>>();
		// Decided on a light read, then only the callers something happens to are locked and loaded: under a burst most
		// callers of a pass wait for an agent to hang up, and loading them all made the pass the costliest thing in the
		// application.
		var waiting = waitingCallers();
		var offersOf = offers.of(waiting.stream().map(Waiting::id).toList());
		// Per line (queue, or the one user a number routes to): how many of its callers nobody rings yet and the pass
		// has not reached yet; ring-all shares the free agents among them.
		var unrungAhead = new HashMap<Line, Integer>();
		waiting.stream()
			.filter(call -> ringingOf(offersOf, call.id()).isEmpty())
			.forEach(call -> unrungAhead.merge(call.line(), 1, Integer::sum));
		// Round-robin's last agent per queue, as this pass's own picks move it.
		var lastPicked = new HashMap<QueueId, Optional<UserId>>();
		var decisions = new ArrayList<Decision>();
		Set<UserId> wrapping = null;
		for (var call : waiting) {
			var queue = call.queue();
			var settings = queue == null ? QueueRouting.defaults(QueueId.of(new UUID(0, 0)))
					: routings.computeIfAbsent(queue, routing::find);
			var callOffers = offersOf.getOrDefault(call.id(), List.of());
			var ringing = ringingOf(offersOf, call.id());
			var unrungBehind = ringing.isEmpty() ? unrungAhead.merge(call.line(), -1, Integer::sum)
					: unrungAhead.getOrDefault(call.line(), 0);
			var candidates = candidatesOf(call.line(), memberships);
			var provider = providers.computeIfAbsent(call.connection(), this::provider);
			var reachableOn = reachability.computeIfAbsent(call.connection(), id -> new HashMap<>());
			var reachable = candidates.stream()
				.filter(user -> reachableOn.computeIfAbsent(user,
						agent -> lines.computeIfAbsent(agent, extensions::activeLineOf)
							.map(line -> registered(provider, line.extension()))
							.orElse(false)))
				.toList();
			var waited = Duration.between(call.queuedAt(), now);
			if (waited.toSeconds() >= settings.maxWaitSeconds() || reachable.isEmpty() && ringing.isEmpty()) {
				decisions.add(new Decision(call, settings, reachable.isEmpty() ? "nobody in it can take calls"
						: "the caller waited " + waited.toSeconds() + " s", List.of(), provider));
				continue;
			}
			var free = reachable.stream().filter(user -> !busy.contains(user)).toList();
			if (!free.isEmpty() && wrapping == null) {
				// Read once per pass, for every member of the waiting callers' queues who is not busy.
				var asked = new HashSet<UserId>();
				waiting.forEach(other -> asked.addAll(candidatesOf(other.line(), memberships)));
				asked.removeAll(busy);
				wrapping = wrapUps.wrappingUp(asked, now, routings);
			}
			var wrappingNow = wrapping == null ? Set.<UserId>of() : wrapping;
			var eligible = free.stream().filter(user -> !wrappingNow.contains(user)).toList();
			List<UserId> picked;
			if (settings.strategy() == RoutingStrategy.RING_ALL) {
				// Every free agent for the caller at the head; when callers of the same line wait behind it with nobody
				// ringing for them, the free agents are shared (the older caller first), so nobody waits while one is free.
				var sharing = unrungBehind + 1;
				picked = unrungBehind == 0 ? eligible
						: !ringing.isEmpty() ? List.of()
						: eligible.subList(0, Math.min(eligible.size(), (eligible.size() + sharing - 1) / sharing));
			}
			else if (!ringing.isEmpty() || eligible.isEmpty()) {
				picked = List.of();
			}
			else {
				var tried = callOffers.stream().map(CallOffers.Offer::user).collect(Collectors.toSet());
				var fresh = eligible.stream().filter(user -> !tried.contains(user)).toList();
				var last = queue == null || settings.strategy() != RoutingStrategy.ROUND_ROBIN ? Optional.<UserId>empty()
						: lastPicked.computeIfAbsent(queue, offers::lastOfferedIn);
				var next = pick(settings.strategy(), last, candidates, fresh.isEmpty() ? eligible : fresh, now);
				if (queue != null) {
					lastPicked.put(queue, Optional.of(next));
				}
				picked = List.of(next);
			}
			if (!picked.isEmpty()) {
				busy.addAll(picked);
				decisions.add(new Decision(call, settings, null, picked, provider));
			}
		}
		return act(decisions, lines, now);
	}

	/**
	 * Carries out a pass's decisions on the callers they concern, locked together in id order (the order every other
	 * locker of calls uses, so a pass and the event pipeline cannot deadlock). A caller who stopped waiting since the
	 * read (answered, gone) is left alone, and another pass follows for the agents set aside for them. No call may be
	 * loaded before this lock: Hibernate refuses to lock an entity it holds in an older version, and the whole pass
	 * would fail.
	 */
	private List<Action> act(List<Decision> decisions, Map<UserId, Optional<AgentLine>> lines, Instant now) {
		var actions = new ArrayList<Action>();
		if (decisions.isEmpty()) {
			return actions;
		}
		var locked = calls.findAllForUpdate(decisions.stream().map(decision -> decision.call().id().value()).sorted()
			.toArray(UUID[]::new)).stream().collect(Collectors.toMap(CallRecord::id, call -> call));
		var leftSinceRead = false;
		for (var decision : decisions) {
			var call = locked.get(decision.call().id());
			if (call == null || !call.waiting() || !Line.of(call).equals(decision.call().line())) {
				leftSinceRead = true;
				continue;
			}
			if (decision.overflow() != null) {
				overflow(call, decision.settings(), decision.overflow(), now, actions);
				continue;
			}
			offersChanged(call);
			var details = call.toDetails();
			for (var user : decision.picked()) {
				var line = lines.get(user).orElseThrow();
				var offer = offers.create(call.id(), call.queue(), user, line.extension(), now);
				actions.add(new Ring(new AgentOffer(call.id(), offer.seq(), line.extension(), call.number(),
						details.callerName(), decision.settings().ringSeconds()), user, incoming(details, offer.seq(), call),
						decision.provider()));
			}
		}
		if (leftSinceRead) {
			// A caller who hung up since the read queued no pass of their own: the agents set aside for them would
			// wait for the next tick.
			dispatchAfterCommit(context.currentTenant());
		}
		return actions;
	}

	/** The inbound callers waiting for an agent, oldest first, as read without loading or locking their records. */
	private List<Waiting> waitingCallers() {
		return jdbc.sql("""
				select id, queue_id, routed_user, connection_id, queued_at from calls
				 where direction = 'inbound' and ended_at is null and agent_id is null and queued_at is not null
				 order by queued_at, id""")
			.query((rs, row) -> {
				var queue = rs.getObject(2, UUID.class);
				var user = rs.getString(3);
				return new Waiting(CallId.of(rs.getObject(1, UUID.class)),
						new Line(queue == null ? null : QueueId.of(queue), user == null ? null : UserId.of(user)),
						ProviderConnectionId.of(rs.getObject(4, UUID.class)),
						rs.getObject(5, OffsetDateTime.class).toInstant());
			})
			.list();
	}

	/** A waiting caller as a pass first reads them: enough to decide, without the record. */
	private record Waiting(CallId id, Line line, ProviderConnectionId connection, Instant queuedAt) {

		@Nullable QueueId queue() {
			return line.queue();
		}
	}

	/**
	 * What a pass decided for one caller: let go to the overflow (for the reason {@code overflow}), or ring
	 * {@code picked}.
	 */
	private record Decision(Waiting call, QueueRouting settings, @Nullable String overflow, List<UserId> picked,
			Provider provider) {
	}

	/** Where a waiting caller is offered: their queue, or the one user their number routes to. */
	private record Line(@Nullable QueueId queue, @Nullable UserId user) {

		static Line of(CallRecord call) {
			return new Line(call.queue(), call.routedUser());
		}
	}

	private static List<CallOffers.Offer> ringingOf(Map<CallId, List<CallOffers.Offer>> offersOf, CallId call) {
		return offersOf.getOrDefault(call, List.of())
			.stream()
			.filter(offer -> offer.state() == CallOffers.State.RINGING)
			.toList();
	}

	/** Who may be rung for the caller: the one user their number routes to, else their queue's members. */
	private List<UserId> candidatesOf(Line line, Map<QueueId, List<UserId>> memberships) {
		var routed = line.user();
		var queue = line.queue();
		return routed != null ? List.of(routed)
				: queue == null ? List.of() : memberships.computeIfAbsent(queue, this::membersOf);
	}

	/** What the agent's popup shows: the contact, the ticket and the queue by name, and the wait. */
	private IncomingCall incoming(CallDetails details, int offer, CallRecord call) {
		var contact = details.contact();
		var ticket = details.ticket();
		var queue = details.queue();
		return new IncomingCall(details.id(), offer, details.number(), details.callerName(), contact,
				contact == null ? null : contacts.find(contact).map(ContactDetails::name).orElse(null), ticket,
				ticket == null ? null : tickets.find(ticket, CurrentUser.SYSTEM).map(TicketDetails::subject).orElse(null),
				queue, queue == null ? null : queues.find(queue).map(QueueDetails::name).orElse(null), details.dialled(),
				Objects.requireNonNull(call.queuedAt()));
	}

	/** A call's connection and its connector, looked up once per pass. */
	private record Provider(@Nullable ProviderConnection connection, @Nullable TelephonyConnector connector) {
	}

	private Provider provider(ProviderConnectionId id) {
		try {
			var connection = control.connection(id);
			return new Provider(connection, control.connector(connection));
		}
		catch (RuntimeException ex) {
			return new Provider(null, null);
		}
	}

	/** Whether the agent's phone can ring, as the connection's provider says; when it cannot tell, it can. */
	private static boolean registered(Provider provider, String extension) {
		var connection = provider.connection();
		var connector = provider.connector();
		return connection == null || connector == null || connector.reachable(connection, extension).orElse(true);
	}

	private List<UserId> membersOf(QueueId queue) {
		return queues.find(queue).map(QueueDetails::memberIds).orElse(List.of());
	}

	/** The one agent a one-at-a-time strategy rings next, among {@code eligible} (never empty). */
	private UserId pick(RoutingStrategy strategy, Optional<UserId> last, List<UserId> members, List<UserId> eligible,
			Instant now) {
		return switch (strategy) {
			case ROUND_ROBIN -> {
				var start = last.map(members::indexOf).orElse(-1);
				UserId next = eligible.getFirst();
				for (int step = 1; step <= members.size(); step++) {
					var candidate = members.get(Math.floorMod(start + step, members.size()));
					if (eligible.contains(candidate)) {
						next = candidate;
						break;
					}
				}
				yield next;
			}
			case LONGEST_IDLE -> eligible.stream()
				.min(Comparator.comparing((UserId user) -> Optional.ofNullable(calls.lastEndedOf(user.value()))
					.orElse(Instant.EPOCH)).thenComparing(members::indexOf))
				.orElseThrow();
			case FEWEST_CALLS -> {
				var today = now.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
				yield eligible.stream()
					.min(Comparator.comparingLong((UserId user) -> calls.countAnsweredSince(user.value(), today))
						.thenComparing(members::indexOf))
					.orElseThrow();
			}
			case RANDOM -> {
				var shuffled = new ArrayList<>(eligible);
				Collections.shuffle(shuffled);
				yield shuffled.getFirst();
			}
			case RING_ALL -> eligible.getFirst();
		};
	}

	/** Sends the caller where the queue's overflow says, withdrawing the offers still ringing. */
	private void overflow(CallRecord call, QueueRouting settings, String why, Instant now, List<Action> actions) {
		offers.cancelRinging(call.id(), now).forEach(offer -> actions.add(new Withdraw(call.id(), offer)));
		offersChanged(call);
		var target = settings.overflow();
		var bounced = call.overflows() >= MAX_OVERFLOWS;
		if (target.target() == QueueOverflow.Target.QUEUE && target.queue() != null && !bounced) {
			call.moveTo(target.queue(), now);
			log.info("Inbound call {} overflowed to queue {}: {}", call.id(), target.queue(), why);
		}
		else if (target.target() == QueueOverflow.Target.USER && target.user() != null && !bounced
				&& !target.user().equals(call.routedUser())) {
			call.routeTo(target.user(), now);
			log.info("Inbound call {} overflowed to a user: {}", call.id(), why);
		}
		else {
			call.letGo(now);
			actions.add(new Release(call.id(), target.target() == QueueOverflow.Target.HANG_UP ? target.message()
					: QueueOverflow.HANG_UP.message()));
			log.info("Inbound call {} let go unanswered: {}", call.id(), why);
		}
	}

	private void perform(Action action) {
		switch (action) {
			case Ring ring -> {
				var offer = ring.offer();
				// The popup first, then the phone: the agent sees who is calling as it starts to ring.
				observers.orderedStream().forEach(observer -> {
					try {
						observer.offered(context.currentTenant(), ring.agent(), ring.incoming());
					}
					catch (RuntimeException ex) {
						log.warn("Offer observer {} failed for call {}: {}", observer.getClass().getSimpleName(),
								offer.call(), ex.toString());
					}
				});
				try {
					var connection = ring.provider().connection();
					var connector = ring.provider().connector();
					if (connection == null || connector == null) {
						connection = control.connectionOf(offer.call());
						connector = control.connector(connection);
					}
					connector.offer(connection, offer);
				}
				catch (RuntimeException ex) {
					log.warn("Inbound call {}: ringing extension {} failed: {}", offer.call(), offer.agentExtension(),
							ex.getMessage());
					// The next tick rings again, within a second: a pass at once spun a loop of rings failing for as
					// long as the PBX was away (or the call's connection gone).
					settle(offer.call(), offer.offer(), CallOffers.State.FAILED, clock.instant());
				}
			}
			case Withdraw withdraw -> {
				try {
					var connection = control.connectionOf(withdraw.call());
					control.connector(connection).withdraw(connection, withdraw.call(), withdraw.offer());
				}
				catch (RuntimeException ex) {
					log.warn("Inbound call {}: withdrawing offer {} failed: {}", withdraw.call(), withdraw.offer(),
							ex.getMessage());
				}
			}
			case Release release -> {
				try {
					var connection = control.connectionOf(release.call());
					control.connector(connection).release(connection, release.call(), release.message());
				}
				catch (RuntimeException ex) {
					log.warn("Inbound call {}: letting the caller go failed: {}", release.call(), ex.getMessage());
				}
			}
		}
	}

	/**
	 * An agent answered an offer. The call is locked, so of two agents answering together one takes the caller and
	 * the other hears it was answered elsewhere.
	 */
	@Transactional
	public OfferAnswer offerAnswered(CallId id, int seq, Instant at) {
		var call = calls.findForUpdate(id.value()).orElse(null);
		var offer = offers.find(id, seq).orElse(null);
		if (call == null || offer == null || offer.state() != CallOffers.State.RINGING || !call.waiting()) {
			if (offer != null) {
				offers.end(id, seq, CallOffers.State.CANCELLED, at);
			}
			return new OfferAnswer(false, List.of());
		}
		var now = clock.instant();
		offers.end(id, seq, CallOffers.State.ANSWERED, at);
		var withdrawn = offers.cancelRinging(id, now);
		var name = members.find(offer.user()).map(TenantMember::username).orElse(offer.user().value());
		workflow.publish(call, call.takenBy(offer.user(), name, offer.extension(), at, now));
		var ticket = call.ticket();
		if (ticket != null) {
			assignAfterCommit(context.currentTenant(), ticket, offer.user());
		}
		dispatchAfterCommit(context.currentTenant());
		log.info("Inbound call {} taken by offer {} (extension {})", id, seq, offer.extension());
		return new OfferAnswer(true, withdrawn);
	}

	/**
	 * The call's ticket goes to the agent who answered, by the tickets module's own rules, in a transaction of its
	 * own: a ticket that cannot be given to them (closed meanwhile, say) must not undo the answer.
	 */
	private void assignAfterCommit(TenantId tenant, TicketId ticket, UserId agent) {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				assignments.execute(() -> {
					try {
						context.runAs(tenant, () -> tickets.assign(ticket, agent, CurrentUser.SYSTEM));
					}
					catch (RuntimeException ex) {
						log.warn("Ticket {} of an answered inbound call was not given to its agent: {}", ticket,
								ex.getMessage());
					}
				});
			}
		});
	}

	/**
	 * The user stopped being available: an offer ringing for them is withdrawn (their phone stops once this commits)
	 * and the caller is offered to someone else.
	 */
	@Transactional
	public void withdrawRingingOf(UserId user) {
		var tenant = context.currentTenant();
		var now = clock.instant();
		var withdrawn = new ArrayList<Action>();
		for (var offer : offers.ringingOf(user)) {
			if (offers.end(offer.call(), offer.seq(), CallOffers.State.CANCELLED, now)) {
				withdrawn.add(new Withdraw(offer.call(), offer.seq()));
				calls.findById(offer.call().value()).ifPresent(this::offersChanged);
			}
		}
		if (withdrawn.isEmpty()) {
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				passes.execute(() -> context.runAs(tenant, () -> withdrawn.forEach(CallDistribution.this::perform)));
				dispatchSoon(tenant);
			}
		});
	}

	@Transactional(readOnly = true)
	public List<Integer> ringingOffers(CallId id) {
		return offers.of(id)
			.stream()
			.filter(offer -> offer.state() == CallOffers.State.RINGING)
			.map(CallOffers.Offer::seq)
			.toList();
	}

	/** An offer ended unanswered: the next agent is rung by the next pass. */
	@Transactional
	public void offerEnded(CallId id, int seq, @Nullable HangupCause cause, Instant at) {
		var outcome = cause == null ? null : cause.outcome();
		var state = outcome == CallOutcome.CANCELLED ? CallOffers.State.CANCELLED
				: outcome == CallOutcome.BUSY || cause != null && "21".equals(cause.code()) ? CallOffers.State.DECLINED
				: outcome == CallOutcome.FAILED ? CallOffers.State.FAILED : CallOffers.State.MISSED;
		if (settle(id, seq, state, at)) {
			dispatchAfterCommit(context.currentTenant());
		}
	}

	/** Settles a ringing offer and tells the live views; false if it was settled already. */
	private boolean settle(CallId id, int seq, CallOffers.State state, Instant at) {
		if (!offers.end(id, seq, state, at)) {
			return false;
		}
		calls.findById(id.value()).ifPresent(this::offersChanged);
		return true;
	}

	/**
	 * Who is rung for a caller is not part of the call's record, yet the tenant's live views (the queue board) show
	 * it: the record is pushed again once the offers' change commits, so that they read the offers again.
	 */
	private void offersChanged(CallRecord call) {
		callObservers.changed(context.currentTenant(), call.toDetails());
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		new ExecutorServiceMetrics(passes, "voxdesk.calls.distribution", List.of()).bindTo(registry);
		new ExecutorServiceMetrics(ringing, "voxdesk.calls.rings", List.of()).bindTo(registry);
		new ExecutorServiceMetrics(assignments, "voxdesk.calls.assignments", List.of()).bindTo(registry);
	}

	@Override
	public void destroy() {
		passes.shutdownNow();
		ringing.shutdownNow();
		assignments.shutdownNow();
	}
}
