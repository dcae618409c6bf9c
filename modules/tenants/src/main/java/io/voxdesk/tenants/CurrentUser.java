package io.voxdesk.tenants;

import java.security.Principal;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * On whose behalf Voxdesk acts: a person from their access token (REST and STOMP alike), or Voxdesk itself in
 * background work. Tenant admins and Voxdesk itself see and manage everything of the tenant, service accounts see it
 * all; an agent sees what is theirs.
 *
 * @param user the person's id (the token's subject), or {@literal null} for Voxdesk itself.
 * @param displayName how the person is shown (the token's {@code name}, else the username, else the id).
 * @param tenant the tenant the token names, if it names a valid one; the request's scope is
 *     {@link TenantContext}'s, which the request filter binds from the same claim.
 * @param roles the realm roles, such as {@code tenant-admin} and {@code platform-admin}.
 * @param expiresAt when the token expires, if it does.
 * @param serviceAccount whether the token is a service account's (a host's server), not a person's.
 */
public record CurrentUser(@Nullable UserId user, String displayName, @Nullable TenantId tenant, Set<String> roles,
		@Nullable Instant expiresAt, boolean serviceAccount) implements Principal {

	/** The realm role of a tenant's administrators. */
	public static final String TENANT_ADMIN = "tenant-admin";

	/** The realm role of Voxdesk's operators. */
	public static final String PLATFORM_ADMIN = "platform-admin";

	/** Voxdesk itself (other modules, background work): sees everything of the current tenant. */
	public static final CurrentUser SYSTEM = new CurrentUser(null, "Voxdesk", null, Set.of(TENANT_ADMIN), null, false);

	public CurrentUser {
		roles = Set.copyOf(roles);
	}

	/** An agent of the current tenant, for background work on their behalf and for tests. */
	public static CurrentUser agent(UserId user) {
		return new CurrentUser(user, user.value(), null, Set.of(), null, false);
	}

	/** A tenant admin of the current tenant, for background work on their behalf and for tests. */
	public static CurrentUser admin(UserId user) {
		return new CurrentUser(user, user.value(), null, Set.of(TENANT_ADMIN), null, false);
	}

	/**
	 * The person an access token names.
	 *
	 * @throws AccessDeniedException if its subject is not a user id.
	 */
	public static CurrentUser of(Jwt jwt) {
		var subject = jwt.getSubject();
		if (subject == null || !UserId.isValid(subject)) {
			throw new AccessDeniedException("This request carries no user token.");
		}
		var user = UserId.of(subject);
		var name = jwt.getClaimAsString("name");
		if (name == null || name.isBlank()) {
			name = jwt.getClaimAsString("preferred_username");
		}
		var claim = jwt.getClaimAsString(TenantRequestFilter.TENANT_CLAIM);
		var tenant = claim != null && TenantId.isValid(claim) ? TenantId.of(claim) : null;
		Map<String, Object> realmAccess = jwt.getClaimAsMap("realm_access");
		Set<String> roles = realmAccess != null && realmAccess.get("roles") instanceof Collection<?> names
				? names.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet())
				: Set.of();
		return new CurrentUser(user, name == null || name.isBlank() ? user.value() : name, tenant, roles,
				jwt.getExpiresAt(), Boolean.TRUE.equals(jwt.getClaimAsBoolean(TenantRequestFilter.SERVICE_ACCOUNT_CLAIM)));
	}

	/**
	 * The person calling the API in the current request.
	 *
	 * @throws AccessDeniedException if the request carries no user token.
	 */
	public static CurrentUser current() {
		if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)) {
			throw new AccessDeniedException("This request carries no user token.");
		}
		return of(token.getToken());
	}

	/** Whether this user sees and manages everything of the tenant: tenant admins and Voxdesk itself. */
	public boolean admin() {
		return roles.contains(TENANT_ADMIN);
	}

	/**
	 * Whether this user sees everything of the tenant: an admin, or a service account (its tenant's own integration,
	 * which owns no calls or tickets). What a service account may change is still its roles' ({@link #admin()}).
	 */
	public boolean seesWholeTenant() {
		return admin() || serviceAccount;
	}

	/**
	 * The person's id.
	 *
	 * @throws IllegalStateException for Voxdesk itself, which is nobody's user.
	 */
	public UserId requireUser() {
		if (user == null) {
			throw new IllegalStateException("Voxdesk itself acts for no user here");
		}
		return user;
	}

	/** The user id, the name STOMP's user destinations ({@code /user/queue/...}) are resolved by. */
	@Override
	public String getName() {
		return user == null ? "voxdesk" : user.value();
	}
}
