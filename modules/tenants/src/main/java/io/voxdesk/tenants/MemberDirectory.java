package io.voxdesk.tenants;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.voxdesk.tenants.internal.Members;

import org.springframework.stereotype.Service;

/**
 * The current tenant's users. Keycloak owns the accounts; a user enters this directory the first time they
 * call Voxdesk with a token of the tenant, and their roles follow their latest token. Other modules check
 * user ids sent by clients (assignees, queue members) against it, so a user of another tenant is never
 * accepted.
 */
@Service
public class MemberDirectory {

	private final Members members;

	MemberDirectory(Members members) {
		this.members = members;
	}

	/** The member of the current tenant with this id, if they have signed in. */
	public Optional<TenantMember> find(UserId id) {
		return members.find(id);
	}

	/** The members of the current tenant, by username. */
	public List<TenantMember> list() {
		return members.list();
	}

	/**
	 * Records that a user of the current tenant made a request (called by {@link TenantRequestFilter}); writes at
	 * most every few minutes per user unless their username or roles changed.
	 */
	void recordSeen(Actor actor, Set<String> roles) {
		members.recordSeen(UserId.of(actor.subject()), actor.username(), roles);
	}
}
