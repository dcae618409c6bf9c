package io.voxdesk.calls.internal;

import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.Viewer;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** Who is calling the API in the current HTTP request, from their access token. */
final class Callers {

	/** The user, their display name, and what they may see. */
	record Caller(UserId user, String name, Viewer viewer) {
	}

	private Callers() {
	}

	static Caller current() {
		if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)
				|| token.getToken().getSubject() == null || !UserId.isValid(token.getToken().getSubject())) {
			throw new AccessDeniedException("This request carries no user token.");
		}
		var jwt = token.getToken();
		var user = UserId.of(jwt.getSubject());
		var admin = token.getAuthorities().stream().anyMatch(a -> "ROLE_tenant-admin".equals(a.getAuthority()));
		var name = jwt.getClaimAsString("name");
		if (name == null || name.isBlank()) {
			name = jwt.getClaimAsString("preferred_username");
		}
		return new Caller(user, name == null || name.isBlank() ? user.value() : name,
				admin ? Viewer.admin(user) : Viewer.agent(user));
	}
}
