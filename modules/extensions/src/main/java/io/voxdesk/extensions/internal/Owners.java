package io.voxdesk.extensions.internal;

import io.voxdesk.tenants.UserId;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The user calling the API in the current HTTP request, from their access token: the only owner it can act for. */
final class Owners {

	/** The user and the name their token gives them. */
	record Owner(UserId user, String name) {
	}

	private Owners() {
	}

	static Owner current() {
		if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)
				|| token.getToken().getSubject() == null || !UserId.isValid(token.getToken().getSubject())) {
			throw new AccessDeniedException("This request carries no user token.");
		}
		var jwt = token.getToken();
		var user = UserId.of(jwt.getSubject());
		var name = jwt.getClaimAsString("name");
		if (name == null || name.isBlank()) {
			name = jwt.getClaimAsString("preferred_username");
		}
		return new Owner(user, name == null || name.isBlank() ? user.value() : name);
	}
}
