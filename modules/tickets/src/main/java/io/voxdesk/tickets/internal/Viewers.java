package io.voxdesk.tickets.internal;

import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.Viewer;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The viewer of the current HTTP request, from its access token. */
final class Viewers {

	private Viewers() {
	}

	static Viewer current() {
		if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)
				|| token.getToken().getSubject() == null || !UserId.isValid(token.getToken().getSubject())) {
			throw new AccessDeniedException("This request carries no user token.");
		}
		var user = UserId.of(token.getToken().getSubject());
		var admin = token.getAuthorities().stream().anyMatch(a -> "ROLE_tenant-admin".equals(a.getAuthority()));
		return new Viewer(user, admin);
	}
}
