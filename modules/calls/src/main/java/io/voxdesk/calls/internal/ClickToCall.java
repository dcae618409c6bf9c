package io.voxdesk.calls.internal;

import java.time.Clock;
import java.util.Optional;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallNotPossibleException;
import io.voxdesk.calls.CallStarted;
import io.voxdesk.calls.CallsSettings;
import io.voxdesk.calls.spi.OutboundCall;
import io.voxdesk.contacts.ContactDetails;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.contacts.ContactNotFoundException;
import io.voxdesk.extensions.ExtensionManagement;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.TicketDetails;
import io.voxdesk.tickets.TicketId;
import io.voxdesk.tickets.TicketManagement;
import io.voxdesk.tickets.TicketNotFoundException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Creates the call record of a click-to-call and, once it is committed, hands the call to the event pipeline (its
 * {@code call.started} entry) and to the dialer. Public for the module's facade only.
 */
@Service
class ClickToCall {

	private static final Logger log = LoggerFactory.getLogger(ClickToCall.class);

	private final Calls calls;

	private final ExtensionManagement extensions;

	private final ProviderConnectionWorkflow connections;

	private final ContactManagement contacts;

	private final TicketManagement tickets;

	private final TenantContext context;

	private final ApplicationEventPublisher events;

	private final CallObservers observers;

	private final CallEventPipeline pipeline;

	private final CallDialer dialer;

	private final DurableCommits durable;

	private final CallsSettings settings;

	private final Clock clock;

	ClickToCall(Calls calls, ExtensionManagement extensions, ProviderConnectionWorkflow connections,
			ContactManagement contacts, TicketManagement tickets, TenantContext context, ApplicationEventPublisher events,
			CallObservers observers, CallEventPipeline pipeline, CallDialer dialer, DurableCommits durable,
			CallsSettings settings, Optional<Clock> clock) {
		this.calls = calls;
		this.extensions = extensions;
		this.connections = connections;
		this.contacts = contacts;
		this.tickets = tickets;
		this.context = context;
		this.events = events;
		this.observers = observers;
		this.pipeline = pipeline;
		this.dialer = dialer;
		this.durable = durable;
		this.settings = settings;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/**
	 * Records a click-to-call and publishes {@link CallStarted}; once the record is committed the dialer asks the
	 * provider to ring the agent. Answers at once: what the provider does next arrives as events. The commit does
	 * not wait for the disk; the dialer does, before anything rings ({@link DurableCommits}).
	 */
	@Transactional
	public CallDetails place(String number, @Nullable TicketId ticketId, @Nullable ContactId contactId,
			UserId agent, String agentName, CurrentUser viewer) {
		durable.commitWithoutWaitingForTheDisk();
		refuseBeyondCallsInProgress(agent);
		var extension = extensions.activeLineOf(agent)
			.orElseThrow(() -> new CallNotPossibleException("No active extension",
					"You have no active personal extension, so there is no phone to ring first: set one up in your "
							+ "phone settings."));
		var enabled = connections.enabledConnection()
			.orElseThrow(() -> new CallNotPossibleException("No telephony provider",
					"Your organization has no enabled provider connection; a tenant admin has to connect Asterisk "
							+ "or API4COM first."));
		var connection = enabled.details();
		var e164 = contacts.toE164("number", number);
		TicketDetails ticket = null;
		if (ticketId != null) {
			ticket = tickets.find(ticketId, viewer).orElseThrow(() -> new TicketNotFoundException("There is no ticket " + ticketId + " you can see in your tenant."));
		}
		var contact = contact(ticket, contactId, e164);
		var recording = Boolean.parseBoolean(connection.settings().getOrDefault("recording", "false"));
		var record = CallRecord.outbound(CallId.random(), connection.id(), connection.kind(), agent, agentName,
				extension.extension(), e164, contact, ticket == null ? null : ticket.id(), recording, clock.instant());
		calls.saveAndFlush(record);
		var details = record.toDetails();
		var tenant = context.currentTenant();
		var outbound = new OutboundCall(record.id(), extension.extension(), e164, agentName, recording);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				// The call.started entry is queued first, so it stays the call's first entry whatever the provider
				// reports once the dialer has asked it. The dialer gets what this transaction read; a click it never
				// placed (Voxdesk stopped first) is settled by the sweeper.
				pipeline.started(tenant, record.id());
				dialer.dial(tenant, enabled, outbound, record.requestedAt());
			}
		});
		observers.changed(tenant, details);
		events.publishEvent(new CallStarted(tenant, record.id(), record.ticket(), agent, agentName, e164,
				record.requestedAt()));
		log.info("Call {} requested by agent {} through {}", record.id(), agent, connection.kind().code());
		return details;
	}

	/**
	 * Holds the agent's clicks in line until this transaction ends, then counts the agent's calls not yet ended:
	 * two simultaneous clicks cannot both see room for one more.
	 */
	private void refuseBeyondCallsInProgress(UserId agent) {
		var cap = settings.callsInProgressPerAgent();
		if (cap <= 0) {
			return;
		}
		calls.lockClicksOf("click:" + agent.value());
		var open = calls.findIdsInProgressOf(agent.value());
		if (open.size() >= cap) {
			throw new CallNotPossibleException("Call in progress", cap == 1
					? "You already have a call in progress (call " + open.getFirst() + "); hang it up or wait for it to "
							+ "end before starting another."
					: "You already have " + open.size() + " calls in progress, the most one agent may have; hang one up "
							+ "or wait for one to end before starting another.");
		}
	}

	private @Nullable ContactId contact(@Nullable TicketDetails ticket, @Nullable ContactId contactId, String e164) {
		if (contactId != null) {
			contacts.find(contactId).orElseThrow(() -> new ContactNotFoundException(contactId.toString()));
			return contactId;
		}
		if (ticket != null && ticket.contactId() != null) {
			return ticket.contactId();
		}
		return contacts.findByPhone(e164).map(ContactDetails::id).orElse(null);
	}
}
