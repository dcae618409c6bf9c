package io.voxdesk.calls.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallLeg;
import io.voxdesk.calls.CallNotFoundException;
import io.voxdesk.calls.CallOutcome;
import io.voxdesk.calls.CampaignCall;
import io.voxdesk.calls.HangupCause;
import io.voxdesk.calls.InboundNumberDetails;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.QueueRoutingManagement;
import io.voxdesk.calls.spi.CampaignHandover;
import io.voxdesk.calls.spi.DirectCall;
import io.voxdesk.calls.spi.InboundCall;
import io.voxdesk.calls.spi.InboundRoute;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.calls.spi.ProviderCallEvent.Type;
import io.voxdesk.contacts.ContactDetails;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.contacts.InvalidPhoneNumberException;
import io.voxdesk.extensions.ExtensionManagement;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.MemberDirectory;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantMember;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.TicketDraft;
import io.voxdesk.tickets.TicketManagement;
import io.voxdesk.tickets.TicketPriority;
import io.voxdesk.tickets.TimelineAppend;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Receives the calls connectors announce: each becomes an inbound call record routed by its number, or, for a number
 * nobody routed (or a call the connector could not read), a record that ends at once as not configured and says
 * why, so that no call reaching the tenant goes unrecorded.
 */
@Service
class InboundReception {

	private static final Logger log = LoggerFactory.getLogger(InboundReception.class);

	private final Calls calls;

	private final ProviderConnectionWorkflow connections;

	private final DefaultInboundNumberManagement numbers;

	private final ContactManagement contacts;

	private final CallWorkflow workflow;

	private final CallObservers observers;

	private final CallTimeline timeline;

	private final TicketManagement tickets;

	private final QueueRoutingManagement routing;

	private final ExtensionManagement extensions;

	private final MemberDirectory members;

	private final CallDistribution distribution;

	private final TenantContext context;

	private final Clock clock;

	InboundReception(Calls calls, ProviderConnectionWorkflow connections, DefaultInboundNumberManagement numbers,
			ContactManagement contacts, TicketManagement tickets, CallWorkflow workflow, CallObservers observers,
			CallTimeline timeline, QueueRoutingManagement routing, CallDistribution distribution,
			ExtensionManagement extensions, MemberDirectory members, TenantContext context, Optional<Clock> clock) {
		this.extensions = extensions;
		this.members = members;
		this.calls = calls;
		this.connections = connections;
		this.numbers = numbers;
		this.contacts = contacts;
		this.workflow = workflow;
		this.observers = observers;
		this.timeline = timeline;
		this.tickets = tickets;
		this.routing = routing;
		this.distribution = distribution;
		this.context = context;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/**
	 * Records an arriving call and decides where it goes; the same call announced again gets the decision it got
	 * the first time.
	 *
	 * @throws IllegalArgumentException if the connection is not one of the current tenant's.
	 */
	@Transactional
	public InboundRoute receive(InboundCall arrival) {
		// Deliveries of one call racing each other (API4COM sends its webhooks at once) take turns: the second finds
		// the first one's record instead of failing on the unique index.
		calls.lockClicksOf("arrival:" + arrival.connection() + ":" + arrival.providerCallId());
		var known = calls.findArrival(arrival.connection().value(), arrival.providerCallId());
		if (known.isPresent()) {
			return routeOf(known.get(), accepted(known.get()));
		}
		var connection = connections.find(arrival.connection())
			.orElseThrow(() -> new IllegalArgumentException("No provider connection " + arrival.connection()
					+ " in tenant " + context.currentTenant()));
		if (arrival.extension() != null) {
			return routedByProvider(arrival, connection.id(), connection.kind(), arrival.extension());
		}
		var route = arrival.unrecognised() == null && arrival.dialled() != null
				? numbers.routeOf(connection.id(), arrival.dialled()) : Optional.<InboundNumberDetails>empty();
		var dialled = route.map(InboundNumberDetails::number).orElseGet(() -> spelled(arrival.dialled()));
		var user = route.map(InboundNumberDetails::user).orElse(null);
		var now = clock.instant();
		var record = CallRecord.inbound(CallId.random(), connection.id(), connection.kind(), arrival.providerCallId(),
				callerNumber(arrival.from()), arrival.callerName(), dialled,
				route.map(InboundNumberDetails::queue).orElse(null), user, arrival.arrivedAt(), now);
		if (route.isPresent()) {
			link(record, route.get().queue());
		}
		calls.saveAndFlush(record);
		if (route.isEmpty()) {
			var reason = refusal(arrival, dialled);
			workflow.publish(record, record.refuse(reason, now));
			log.info("Inbound call {} on connection {} refused as not configured: {}", record.id(), connection.id(),
					arrival.unrecognised() != null ? "the connector could not read it" : "number " + dialled
							+ " is not routed");
			return InboundRoute.refused(record.id(), reason);
		}
		announce(record);
		distribution.dispatchAfterCommit(context.currentTenant());
		log.info("Inbound call {} to {} on connection {} routed to {}", record.id(), dialled, connection.id(),
				user != null ? "a user" : "queue " + route.get().queue());
		return accepted(record);
	}

	/**
	 * The customer of {@code from} waits in {@code queue} now, on the provider's line {@code line}: a new inbound
	 * call on the same contact and ticket, waiting to be distributed like any caller, and {@code from} ends as
	 * transferred (its agent was released when the transfer began).
	 */
	@Transactional
	public CallId transferredIn(CallId from, CallId queued, QueueId queue, String line) {
		var call = calls.findForUpdate(from.value()).orElseThrow(() -> new CallNotFoundException(from));
		var now = clock.instant();
		var details = call.toDetails();
		var record = CallRecord.inbound(queued, call.connectionId(), details.provider(), line, details.number(),
				contactName(details), null, queue, null, now, now);
		record.transferredFrom(from);
		record.linkTo(details.contact(), details.ticket());
		calls.saveAndFlush(record);
		workflow.publish(call, call.apply(new ProviderCallEvent(from, "voxdesk:queued:" + queued, Type.ENDED,
				CallLeg.CUSTOMER, now, null, new HangupCause(null, "transferred to a queue", null), null), now));
		announce(record);
		distribution.dispatchAfterCommit(context.currentTenant());
		log.info("Call {} transferred to queue {}: the customer waits as call {}", from, queue, queued);
		return queued;
	}

	/**
	 * A voice campaign reached a person: their call's record, direction campaign, answered, on the contact (no
	 * ticket: the call lands on one only if a key hands it to an agent).
	 */
	@Transactional
	public CallId campaignAnswered(CampaignCall call) {
		var connection = connections.find(call.connection())
			.orElseThrow(() -> new IllegalArgumentException("No provider connection " + call.connection()
					+ " in tenant " + context.currentTenant()));
		var now = clock.instant();
		var record = CallRecord.campaign(CallId.random(), connection.id(), connection.kind(), call.number(),
				call.contact(), call.campaign(), call.answeredAt(), now);
		calls.saveAndFlush(record);
		observers.changed(context.currentTenant(), record.toDetails());
		return record.id();
	}

	/** The campaign's call ended; a call already ended (handed over, or reported before) stays as it is. */
	@Transactional
	public void campaignEnded(CallId id, Instant at, @Nullable String cause) {
		var call = calls.findForUpdate(id.value()).orElseThrow(() -> new CallNotFoundException(id));
		if (call.toDetails().endedAt() != null) {
			return;
		}
		workflow.publish(call, call.apply(new ProviderCallEvent(id, "voxdesk:campaign-ended:" + id, Type.ENDED,
				CallLeg.CUSTOMER, at, null, new HangupCause(null, cause == null ? "normal" : cause, null), null),
				clock.instant()));
	}

	/**
	 * A key of the campaign's menu hands the person to a queue or a user: they wait for an agent as a new inbound call
	 * on the same contact, on the ticket the tenant's policy gives them (in the queue), naming the campaign; the
	 * campaign's call ends as transferred. Handed over again, the same waiting call.
	 */
	@Transactional
	public InboundRoute campaignHandedOver(CampaignHandover handover) {
		var known = calls.findArrival(handover.connection().value(), handover.line());
		if (known.isPresent()) {
			return accepted(known.get());
		}
		var call = calls.findForUpdate(handover.call().value())
			.orElseThrow(() -> new CallNotFoundException(handover.call()));
		var details = call.toDetails();
		var now = clock.instant();
		var user = handover.user();
		var record = CallRecord.inbound(handover.queued(), call.connectionId(), details.provider(), handover.line(),
				details.number(), contactName(details), null, handover.queue(), user, handover.at(), now);
		record.transferredFrom(handover.call());
		record.fromCampaign(details.campaign());
		var contact = details.contact();
		if (contact != null) {
			var subject = "Call from campaign \"" + details.campaign() + "\" (" + details.number() + ")";
			var policy = numbers.policy();
			var queue = handover.queue();
			var ticket = switch (policy.tickets()) {
				case OPEN_TICKET -> tickets.findOrCreateOpenTicket(contact, subject, queue);
				case NEW_TICKET -> tickets.create(new TicketDraft(subject, TicketPriority.NORMAL, contact, queue, null,
						null), CurrentUser.SYSTEM);
				case NONE -> null;
			};
			record.linkTo(contact, ticket == null ? null : ticket.id());
		}
		calls.saveAndFlush(record);
		call.handOver(handover.queue() != null ? "queue " + handover.queue() : "user " + user, now);
		workflow.publish(call, call.apply(new ProviderCallEvent(handover.call(), "voxdesk:handed-over:" + handover.queued(),
				Type.ENDED, CallLeg.CUSTOMER, now, null, new HangupCause(null, "handed over to an agent", null), null),
				now));
		announce(record);
		distribution.dispatchAfterCommit(context.currentTenant());
		log.info("Campaign call {} handed over: the person waits as call {} for {}", handover.call(), handover.queued(),
				handover.queue() != null ? "queue " + handover.queue() : "a user");
		return accepted(record);
	}

	/** The caller's name for the queued call's popup: the contact's, else none. */
	private @Nullable String contactName(CallDetails details) {
		var contact = details.contact();
		return contact == null ? null : contacts.find(contact).map(ContactDetails::name).orElse(null);
	}

	/**
	 * A call an extension placed on the provider without Voxdesk: an outbound record for the extension's user, with
	 * the contact the number finds (none is created: a dialled number is not a caller). Reported again, the same one.
	 */
	@Transactional
	public Optional<CallId> placedDirectly(DirectCall direct) {
		calls.lockClicksOf("arrival:" + direct.connection() + ":" + direct.providerCallId());
		var known = calls.findByProviderCall(direct.connection().value(), direct.providerCallId());
		if (!known.isEmpty()) {
			return Optional.of(known.getFirst().id());
		}
		var owner = extensions.ownerOf(direct.extension());
		if (owner.isEmpty()) {
			log.info("A call placed directly by extension {} on connection {} is not recorded: no user of the tenant has "
					+ "that extension", direct.extension(), direct.connection());
			return Optional.empty();
		}
		var connection = connections.find(direct.connection())
			.orElseThrow(() -> new IllegalArgumentException("No provider connection " + direct.connection()
					+ " in tenant " + context.currentTenant()));
		var user = owner.get();
		// Dialled by the extension like a number dialled to reach the tenant: national, with country code, or E.164.
		var number = Objects.requireNonNullElse(spelled(direct.number()), direct.number());
		var contact = number.startsWith("+") ? contacts.findByPhone(number).map(ContactDetails::id).orElse(null) : null;
		var record = CallRecord.outbound(CallId.random(), connection.id(), connection.kind(), user,
				members.find(user).map(TenantMember::username).orElse(user.value()), direct.extension(), number, contact,
				null, false, direct.startedAt());
		record.placedDirectly(direct.providerCallId());
		calls.saveAndFlush(record);
		observers.changed(context.currentTenant(), record.toDetails());
		log.info("Call {} placed directly by extension {} on connection {} recorded", record.id(), direct.extension(),
				connection.id());
		return Optional.of(record.id());
	}

	/**
	 * A call the provider routed itself: recorded for the user whose extension it went to (nobody, for an extension
	 * no user of the tenant has), with contact and ticket; Voxdesk neither refuses nor distributes it.
	 */
	private InboundRoute routedByProvider(InboundCall arrival, ProviderConnectionId connection, ProviderKind kind,
			String extension) {
		var now = clock.instant();
		var record = CallRecord.inbound(CallId.random(), connection, kind, arrival.providerCallId(),
				callerNumber(arrival.from()), arrival.callerName(), spelled(arrival.dialled()), null, null,
				arrival.arrivedAt(), now);
		var owner = extensions.ownerOf(extension);
		owner.ifPresent(user -> record.forAgent(user, members.find(user).map(TenantMember::username).orElse(user.value()),
				extension));
		link(record, null);
		calls.saveAndFlush(record);
		announce(record);
		log.info("Inbound call {} on connection {} routed by the provider to extension {}{}", record.id(), connection,
				extension, owner.isPresent() ? "" : ", which no user of the tenant has");
		return InboundRoute.accepted(record.id(), "default");
	}

	/**
	 * Finds the caller's contact by their number (any spelling), creating one named by the number if the tenant's
	 * policy says so, and puts the call on the contact's ticket as the policy says, in the number's queue.
	 */
	private void link(CallRecord record, @Nullable QueueId queue) {
		var policy = numbers.policy();
		var number = record.number();
		if (!number.startsWith("+")) {
			// Withheld, or not a number (an extension): nobody to find or create.
			return;
		}
		var contact = contacts.findByPhone(number)
			.or(() -> policy.createContacts() ? Optional.of(contacts.findOrCreateByPhone(number, number))
					: Optional.empty())
			.orElse(null);
		if (contact == null) {
			return;
		}
		var subject = "Call from " + (record.toDetails().callerName() == null ? number
				: record.toDetails().callerName() + " (" + number + ")");
		var ticket = switch (policy.tickets()) {
			case OPEN_TICKET -> tickets.findOrCreateOpenTicket(contact.id(), subject, queue);
			case NEW_TICKET -> tickets.create(new TicketDraft(subject, TicketPriority.NORMAL, contact.id(), queue, null,
					null), CurrentUser.SYSTEM);
			case NONE -> null;
		};
		if (ticket != null && queue != null && ticket.queueId() == null && ticket.assigneeId() == null) {
			// An open ticket nobody works on, in no queue yet: the call brings it to the number's queue. One in
			// another queue or with an agent stays where it is (moving it would take it from them).
			ticket = tickets.transfer(ticket.id(), queue, null, null, CurrentUser.SYSTEM);
		}
		record.linkTo(contact.id(), ticket == null ? null : ticket.id());
	}

	/** A new accepted inbound call: its {@code call.started} entry, and its state to the observers. */
	private void announce(CallRecord record) {
		var details = record.toDetails();
		var entries = new ArrayList<TimelineAppend>();
		timeline.started(details, entries);
		timeline.append(entries);
		observers.changed(context.currentTenant(), details);
	}

	private static InboundRoute routeOf(CallRecord call, InboundRoute accepted) {
		var details = call.toDetails();
		var reason = details.failureReason();
		return details.outcome() == CallOutcome.NOT_CONFIGURED && reason != null ? InboundRoute.refused(call.id(), reason)
				: accepted;
	}

	/**
	 * What a caller waiting in the queue hears: its greeting, then its music; the PBX's default class for a number
	 * routed to one user.
	 */
	private InboundRoute accepted(CallRecord record) {
		var queue = record.queue();
		if (queue == null) {
			return InboundRoute.accepted(record.id(), "default");
		}
		var settings = routing.find(queue);
		return InboundRoute.accepted(record.id(), settings.musicClass(), settings.greeting());
	}

	/** What the record says about a refused call, in words a tenant admin can act on. */
	private static String refusal(InboundCall arrival, @Nullable String dialled) {
		if (arrival.unrecognised() != null) {
			return "Not configured: " + arrival.unrecognised();
		}
		if (dialled == null) {
			return "Not configured: the provider did not say which number was called, so Voxdesk cannot tell where "
					+ "the call goes; the caller was told the number is not in service.";
		}
		return "Not configured: nobody routed " + dialled + " to a queue or a user, so the caller was told the number "
				+ "is not in service. A tenant admin routes it under Inbound numbers.";
	}

	/** A dialled number nobody routed, in E.164 when it reads as one, else as the provider gave it. */
	private @Nullable String spelled(@Nullable String dialled) {
		return dialled == null ? null : numbers.readings(dialled).stream().findFirst().orElse(dialled);
	}

	/** The caller's number in E.164 when it is a valid one, else as the network gave it (an extension, say). */
	private String callerNumber(String from) {
		if (from.isEmpty()) {
			return from;
		}
		try {
			return contacts.toE164("from", from);
		}
		catch (InvalidPhoneNumberException ex) {
			return from;
		}
	}
}
