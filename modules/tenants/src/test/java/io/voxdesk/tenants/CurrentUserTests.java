package io.voxdesk.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The one reading of who a token names, as REST, STOMP and the tickets' visibility rules use it. */
class CurrentUserTests {

	static final Instant EXPIRY = Instant.parse("2026-12-05T13:00:00Z");

	static Jwt.Builder token(String subject) {
		return Jwt.withTokenValue("t")
			.header("alg", "RS256")
			.subject(subject)
			.issuedAt(EXPIRY.minusSeconds(300))
			.expiresAt(EXPIRY);
	}

	@AfterEach
	void clearContext() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void aTenantAdminsTokenGivesTheirIdNameTenantRolesAndExpiry() {
		var jwt = token("7d1c2a0e-1111-4a4a-9c9c-000000000001").claim("name", "Ana Admin")
			.claim("preferred_username", "ana")
			.claim("tenant_id", "acme")
			.claim("realm_access", Map.of("roles", List.of("tenant-admin", "offline_access")))
			.build();

		var user = CurrentUser.of(jwt);

		assertThat(user.user()).isEqualTo(UserId.of("7d1c2a0e-1111-4a4a-9c9c-000000000001"));
		assertThat(user.displayName()).isEqualTo("Ana Admin");
		assertThat(user.tenant()).isEqualTo(TenantId.of("acme"));
		assertThat(user.admin()).isTrue();
		assertThat(user.expiresAt()).isEqualTo(EXPIRY);
		assertThat(user.getName()).as("STOMP resolves /user/ destinations by the id").isEqualTo(user.user().value());
	}

	@Test
	void anAgentWithoutANameIsShownByUsernameThenByIdAndIsNoAdmin() {
		var byUsername = CurrentUser.of(token("agent-1").claim("preferred_username", "bruno").build());
		var byId = CurrentUser.of(token("agent-2").build());

		assertThat(byUsername.displayName()).isEqualTo("bruno");
		assertThat(byId.displayName()).isEqualTo("agent-2");
		assertThat(byUsername.admin()).isFalse();
		assertThat(byUsername.roles()).isEmpty();
	}

	@Test
	void aForgedTenantClaimOrSubjectIsNotTakenAsOne() {
		// The attack: a token whose claims try to smuggle SQL or a path into the tenant id and the user id.
		var forgedTenant = CurrentUser.of(token("agent-1").claim("tenant_id", "acme'; drop table calls;--").build());
		assertThat(forgedTenant.tenant()).isNull();

		assertThatThrownBy(() -> CurrentUser.of(token("../../etc/passwd").build()))
			.isInstanceOf(AccessDeniedException.class);
	}

	@Test
	void theCurrentRequestsUserComesFromItsTokenAndARequestWithoutOneIsRefused() {
		assertThatThrownBy(CurrentUser::current).isInstanceOf(AccessDeniedException.class)
			.hasMessageContaining("no user token");

		SecurityContextHolder.getContext()
			.setAuthentication(new JwtAuthenticationToken(token("agent-1").claim("tenant_id", "acme").build()));

		assertThat(CurrentUser.current().requireUser()).isEqualTo(UserId.of("agent-1"));
	}

	@Test
	void voxdeskItselfSeesEverythingAndIsNobodysUser() {
		assertThat(CurrentUser.SYSTEM.admin()).isTrue();
		assertThat(CurrentUser.SYSTEM.user()).isNull();
		assertThatThrownBy(CurrentUser.SYSTEM::requireUser).isInstanceOf(IllegalStateException.class);
		assertThat(CurrentUser.agent(UserId.of("a")).admin()).isFalse();
		assertThat(CurrentUser.admin(UserId.of("a")).admin()).isTrue();
	}
}
