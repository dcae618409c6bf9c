package io.voxdesk.tickets;

import java.time.Instant;
import java.util.List;

import io.voxdesk.tenants.UserId;

/** A queue (department) and the agents who work its tickets. */
public record QueueDetails(QueueId id, String name, List<UserId> memberIds, Instant createdAt, Instant updatedAt) {
}
