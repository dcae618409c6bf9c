package io.voxdesk.tenants;

import java.io.IOException;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Binds the tenant named by the caller's token ({@code tenant_id} claim) for the rest of the request, after
 * checking that the tenant exists and is active ({@link TenantManagement#status}, remembered for a few seconds so
 * most requests skip the database). A platform admin without a tenant works in the platform
 * scope. Anything else is refused with an {@link AccessDeniedException} whose message tells the user why.
 * <p>
 * Every tenant user's request also refreshes their entry in the {@link MemberDirectory}; a service account's does
 * not (it is no member), and its actor is named by its client id.
 * <p>
 * Belongs in the security filter chain after authentication and exception translation.
 */
public class TenantRequestFilter extends OncePerRequestFilter {

	/** The access-token claim that names the caller's tenant. */
	public static final String TENANT_CLAIM = "tenant_id";

	/** The authority of platform operators, who may work without a tenant. */
	public static final String PLATFORM_ADMIN = "ROLE_platform-admin";

	/**
	 * The access-token claim, fixed to {@code true} on the Keycloak clients Voxdesk creates as service accounts; no
	 * person's token carries it.
	 */
	public static final String SERVICE_ACCOUNT_CLAIM = "voxdesk_service_account";

	/** The authority of a service account's token (one carrying {@link #SERVICE_ACCOUNT_CLAIM}). */
	public static final String SERVICE_ACCOUNT = "SERVICE_ACCOUNT";

	private final TenantManagement tenants;

	private static final Set<String> MEMBER_ROLES = Set.of(TenantMember.AGENT, TenantMember.TENANT_ADMIN, "platform-admin");

	private final TenantContext context;

	private final MemberDirectory members;

	public TenantRequestFilter(TenantManagement tenants, TenantContext context, MemberDirectory members) {
		this.tenants = tenants;
		this.context = context;
		this.members = members;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)) {
			chain.doFilter(request, response);
			return;
		}
		var jwt = token.getToken();
		var serviceAccount = token.getAuthorities().stream().anyMatch(a -> SERVICE_ACCOUNT.equals(a.getAuthority()));
		// A service account is audited by its client id (azp), which its admins see in the service-account list.
		var username = serviceAccount ? jwt.getClaimAsString("azp") : jwt.getClaimAsString("preferred_username");
		var actor = new Actor(jwt.getSubject() == null ? "unknown" : jwt.getSubject(),
				username == null ? "unknown" : username);
		var claim = jwt.getClaimAsString(TENANT_CLAIM);
		if (claim == null || claim.isBlank()) {
			if (token.getAuthorities().stream().noneMatch(a -> PLATFORM_ADMIN.equals(a.getAuthority()))) {
				throw new TenantAccessDeniedException("Your account is not assigned to a tenant, so Voxdesk cannot tell "
						+ "whose data you may see. Ask your administrator to set your tenant.");
			}
			try (var ignored = context.bind(null, actor)) {
				chain.doFilter(request, response);
			}
			return;
		}
		if (!TenantId.isValid(claim)) {
			throw new TenantAccessDeniedException("Your account's tenant '" + claim + "' is not a valid tenant id.");
		}
		var tenantId = TenantId.of(claim);
		var status = context.callAs(tenantId, () -> tenants.status(tenantId))
			.orElseThrow(() -> new TenantAccessDeniedException("Your account belongs to tenant '" + claim
					+ "', which Voxdesk does not know. Ask your platform operator to create it."));
		if (status != TenantStatus.ACTIVE) {
			throw new TenantAccessDeniedException("Tenant '" + claim + "' is deactivated. Ask your platform operator.");
		}
		try (var ignored = context.bind(tenantId, actor)) {
			if (!serviceAccount && jwt.getSubject() != null && UserId.isValid(jwt.getSubject())) {
				members.recordSeen(actor, roles(token));
			}
			chain.doFilter(request, response);
		}
	}

	private static Set<String> roles(JwtAuthenticationToken token) {
		return token.getAuthorities()
			.stream()
			.map(authority -> String.valueOf(authority.getAuthority()))
			.filter(authority -> authority.startsWith("ROLE_"))
			.map(authority -> authority.substring("ROLE_".length()))
			.filter(MEMBER_ROLES::contains)
			.collect(Collectors.toSet());
	}
}
