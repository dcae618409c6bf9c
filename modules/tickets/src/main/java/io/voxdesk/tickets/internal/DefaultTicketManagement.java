package io.voxdesk.tickets.internal;

import java.util.List;
import java.util.Optional;

import io.voxdesk.contacts.ContactId;
import io.voxdesk.tenants.CurrentUser;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.ClosedTicketPolicy;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.TicketDetails;
import io.voxdesk.tickets.TicketDraft;
import io.voxdesk.tickets.TicketFilter;
import io.voxdesk.tickets.TicketId;
import io.voxdesk.tickets.TicketManagement;
import io.voxdesk.tickets.TimelineAppend;
import io.voxdesk.tickets.TimelineEntry;
import io.voxdesk.tickets.TimelineEntryDraft;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;

/** The {@link TicketManagement} of this module, which the root package only declares. */
@Service
class DefaultTicketManagement implements TicketManagement {

	private final TicketWorkflow workflow;

	DefaultTicketManagement(TicketWorkflow workflow) {
		this.workflow = workflow;
	}

	@Override
	public TicketDetails create(TicketDraft draft, CurrentUser viewer) {
		return workflow.create(draft, viewer);
	}

	@Override
	public Optional<TicketDetails> find(TicketId id, CurrentUser viewer) {
		return workflow.find(id, viewer);
	}

	@Override
	public Page<TicketDetails> list(TicketFilter filter, CurrentUser viewer, Pageable page) {
		return workflow.list(filter, viewer, page);
	}

	@Override
	public TicketDetails accept(TicketId id, CurrentUser viewer) {
		return workflow.accept(id, viewer);
	}

	@Override
	public TicketDetails assign(TicketId id, UserId assignee, CurrentUser viewer) {
		return workflow.assign(id, assignee, viewer);
	}

	@Override
	public TicketDetails transfer(TicketId id, @Nullable QueueId queue, @Nullable UserId assignee, @Nullable String note,
			CurrentUser viewer) {
		return workflow.transfer(id, queue, assignee, note, viewer);
	}

	@Override
	public TicketDetails close(TicketId id, @Nullable String note, CurrentUser viewer) {
		return workflow.close(id, note, viewer);
	}

	@Override
	public TicketDetails reopen(TicketId id, CurrentUser viewer) {
		return workflow.reopen(id, viewer);
	}

	@Override
	public TimelineEntry addNote(TicketId id, String text, CurrentUser viewer) {
		return workflow.addNote(id, text, viewer);
	}

	@Override
	public List<TimelineEntry> timeline(TicketId id, long after, int limit, CurrentUser viewer) {
		return workflow.timeline(id, after, limit, viewer);
	}

	@Override
	public TicketDetails findOrCreateOpenTicket(ContactId contact, String subjectIfNew, @Nullable QueueId queueIfNew) {
		return workflow.findOrCreateOpenTicket(contact, subjectIfNew, queueIfNew);
	}

	@Override
	public TimelineEntry append(TicketId id, TimelineEntryDraft draft) {
		return workflow.append(id, draft);
	}

	@Override
	public int appendAll(List<TimelineAppend> entries) {
		return entries.isEmpty() ? 0 : workflow.appendAll(entries);
	}

	@Override
	public ClosedTicketPolicy closedTicketPolicy() {
		return workflow.policy();
	}

	@Override
	public ClosedTicketPolicy changeClosedTicketPolicy(ClosedTicketPolicy policy) {
		return workflow.changePolicy(policy);
	}
}
