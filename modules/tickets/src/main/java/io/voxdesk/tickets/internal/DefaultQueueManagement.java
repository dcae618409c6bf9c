package io.voxdesk.tickets.internal;

import java.util.List;
import java.util.Optional;

import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueDetails;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.QueueManagement;

import org.springframework.stereotype.Service;

/** The {@link QueueManagement} of this module, which the root package only declares. */
@Service
class DefaultQueueManagement implements QueueManagement {

	private final QueueWorkflow workflow;

	DefaultQueueManagement(QueueWorkflow workflow) {
		this.workflow = workflow;
	}

	@Override
	public QueueDetails create(String name, List<UserId> memberIds) {
		return workflow.create(name, memberIds);
	}

	@Override
	public QueueDetails change(QueueId id, String name, List<UserId> memberIds) {
		return workflow.change(id, name, memberIds);
	}

	@Override
	public Optional<QueueDetails> find(QueueId id) {
		return workflow.find(id);
	}

	@Override
	public List<QueueDetails> list() {
		return workflow.list();
	}

	@Override
	public void delete(QueueId id) {
		workflow.delete(id);
	}
}
