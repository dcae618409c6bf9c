package io.voxdesk.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import io.voxdesk.testing.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.transaction.support.TransactionTemplate;

/** The tenant check of every request: the remembered status never outlives a change made through this instance. */
@ApplicationModuleTest(webEnvironment = WebEnvironment.NONE)
class TenantRequestFilterTests {

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	@Autowired
	MemberDirectory members;

	@Autowired
	TransactionTemplate transactions;

	TenantRequestFilter filter;

	TenantId tenant;

	@BeforeEach
	void aTenant() {
		filter = new TenantRequestFilter(tenants, context, members);
		tenant = TenantId.of("f-" + UUID.randomUUID().toString().substring(0, 8));
		context.runAsPlatform(() -> tenants.create(tenant, "Filtered"));
	}

	@AfterEach
	void signOut() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void aDeactivationRefusesTheVeryNextRequestThoughTheStatusWasRemembered() throws Exception {
		assertThat(request()).as("first request, which remembers the status").isEqualTo(tenant);
		setStatusBehindVoxdesksBack("DEACTIVATED");
		assertThat(request()).as("the status is remembered, not read again").isEqualTo(tenant);
		setStatusBehindVoxdesksBack("ACTIVE");

		context.runAsPlatform(() -> tenants.deactivate(tenant));

		assertThatThrownBy(this::request).isInstanceOf(TenantAccessDeniedException.class)
			.hasMessage("Tenant '" + tenant + "' is deactivated. Ask your platform operator.");

		context.runAsPlatform(() -> tenants.reactivate(tenant));

		assertThat(request()).isEqualTo(tenant);
	}

	@Test
	void aDeactivationThatRollsBackLeavesTheTenantIn() throws Exception {
		assertThat(request()).isEqualTo(tenant);

		context.runAsPlatform(() -> transactions.executeWithoutResult(status -> {
			tenants.deactivate(tenant);
			status.setRollbackOnly();
		}));

		assertThat(request()).isEqualTo(tenant);
		assertThat(context.callAsPlatform(() -> tenants.status(tenant))).contains(TenantStatus.ACTIVE);
	}

	@Test
	void anUnknownTenantIsRefusedAndLetInOnceCreated() throws Exception {
		var later = TenantId.of("u-" + UUID.randomUUID().toString().substring(0, 8));

		assertThatThrownBy(() -> request(later)).isInstanceOf(TenantAccessDeniedException.class)
			.hasMessageContaining("which Voxdesk does not know");

		context.runAsPlatform(() -> tenants.create(later, "Later"));

		assertThat(request(later)).isEqualTo(later);
	}

	@Test
	void aTenantScopeSeesOnlyItsOwnStatus() {
		var other = TenantId.of("o-" + UUID.randomUUID().toString().substring(0, 8));
		context.runAsPlatform(() -> tenants.create(other, "Other"));

		assertThat(context.callAs(tenant, () -> tenants.status(tenant))).contains(TenantStatus.ACTIVE);
		assertThat(context.callAs(tenant, () -> tenants.status(other))).isEmpty();
		assertThatThrownBy(() -> tenants.status(tenant)).isInstanceOf(NoTenantBoundException.class);
	}

	/** What another instance deactivating or reactivating the tenant looks like from here. */
	private void setStatusBehindVoxdesksBack(String status) throws Exception {
		try (var owner = TestDatabase.get().ownerConnection();
				var update = owner.prepareStatement("update tenants set status = ? where id = ?")) {
			update.setString(1, status);
			update.setString(2, tenant.value());
			assertThat(update.executeUpdate()).isOne();
		}
	}

	private TenantId request() throws Exception {
		return request(tenant);
	}

	/** Sends a request with a token of the tenant through the filter; tells which tenant the chain ran for. */
	private TenantId request(TenantId as) throws Exception {
		var jwt = Jwt.withTokenValue("token")
			.header("alg", "none")
			.subject(UUID.randomUUID().toString())
			.claim("preferred_username", "agent")
			.claim(TenantRequestFilter.TENANT_CLAIM, as.value())
			.build();
		SecurityContextHolder.getContext()
			.setAuthentication(new JwtAuthenticationToken(jwt, List.of(new SimpleGrantedAuthority("ROLE_agent"))));
		var boundTenant = new TenantId[1];
		var chain = new MockFilterChain() {

			@Override
			public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response) {
				boundTenant[0] = context.currentTenant();
			}
		};
		filter.doFilter(new MockHttpServletRequest("GET", "/api/calls"), new MockHttpServletResponse(), chain);
		return boundTenant[0];
	}
}
