package io.voxdesk.tickets.internal;

import io.voxdesk.tenants.MemberDirectory;
import io.voxdesk.tenants.TenantMember;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.UnknownReferenceException;

import org.springframework.stereotype.Component;

/** Checks user ids sent by clients: only agents and admins of the current tenant handle tickets and queues. */
@Component
class TicketHandlers {

	private final MemberDirectory members;

	TicketHandlers(MemberDirectory members) {
		this.members = members;
	}

	/**
	 * @param purpose what the user would be given, for the message: "tickets", "a queue".
	 * @throws UnknownReferenceException if the user is not an agent or admin of the current tenant.
	 */
	TenantMember require(UserId user, String purpose) {
		var member = members.find(user)
			.orElseThrow(() -> new UnknownReferenceException("User " + user + " is not a member of your tenant "
					+ "(users join the directory when they first sign in)."));
		if (!member.handlesTickets()) {
			throw new UnknownReferenceException("User " + member.username() + " is neither an agent nor a tenant admin, "
					+ "so they cannot be given " + purpose + ".");
		}
		return member;
	}

	/** The user's name for timeline summaries, or their id if they never signed in. */
	String name(UserId user) {
		return members.find(user).map(TenantMember::username).orElse(user.value());
	}
}
