package io.voxdesk;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Stream;

import io.voxdesk.tenants.TenantAccessDeniedException;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.MemberDirectory;
import io.voxdesk.tenants.TenantRequestFilter;

import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.filter.CorsFilter;

import tools.jackson.databind.json.JsonMapper;

/**
 * Voxdesk is an OAuth2 resource server: Keycloak access tokens, checked for issuer and audience, realm roles
 * as authorities, and the token's tenant bound for the request. Every refusal is a problem document.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

	@Bean
	SecurityFilterChain api(HttpSecurity http, ProblemResponses problems, TenantManagement tenants,
			TenantContext context, MemberDirectory members, VoxdeskSecuritySettings settings, JsonMapper json)
			throws Exception {
		return http
			.addFilterAt(CrossOrigins.filter(settings.allowedOrigins(), json), CorsFilter.class)
			.authorizeHttpRequests(requests -> requests
				.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
				// Cache, request and pool figures are for the platform's operators, not for tenants.
				.requestMatchers("/actuator/metrics", "/actuator/metrics/**", "/actuator/prometheus").hasRole("platform-admin")
				.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
				.requestMatchers("/error").permitAll()
				// Providers' webhooks carry no token; each URL holds a random secret its receiver checks.
				.requestMatchers("/webhooks/**").permitAll()
				// PBXs fetch audio through links Voxdesk signed for them (sound:http://...); the media endpoint checks them.
				.requestMatchers("/media/**").permitAll()
				// Browsers cannot send a token on the WebSocket handshake; the STOMP CONNECT frame carries it.
				.requestMatchers("/ws", "/ws/**").permitAll()
				// The webphone's script and its demo page are static files; every API call they make carries a token.
				.requestMatchers("/webphone/**", "/demo/**").permitAll()
				// Matched on the decoded path, so /api/m%65/... is caught too.
				.requestMatchers("/api/me", "/api/me/**").access(peopleOnly())
				.anyRequest().authenticated())
			.oauth2ResourceServer(server -> server
				.jwt(jwt -> jwt.jwtAuthenticationConverter(realmRoles()))
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling(handling -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			.addFilterAfter(new TenantRequestFilter(tenants, context, members), ExceptionTranslationFilter.class)
			.build();
	}

	@Bean
	VerifiedTokens jwtDecoder(OAuth2ResourceServerProperties properties, VoxdeskSecuritySettings settings) {
		var issuer = properties.getJwt().getIssuerUri();
		var decoder = NimbusJwtDecoder.withIssuerLocation(issuer).build();
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer),
				audience(settings.audience())));
		return new VerifiedTokens(decoder, settings.verifiedTokens(), Clock.systemUTC());
	}

	/**
	 * The endpoints about the person calling (their extension, webphone, presence): a service account has none, and
	 * must not make itself an agent who is rung. Refused with words that say so.
	 */
	static AuthorizationManager<RequestAuthorizationContext> peopleOnly() {
		return (authentication, request) -> {
			var caller = authentication.get();
			if (caller == null || !caller.isAuthenticated() || caller instanceof AnonymousAuthenticationToken) {
				return new AuthorizationDecision(false);
			}
			if (caller.getAuthorities().stream().anyMatch(a -> TenantRequestFilter.SERVICE_ACCOUNT.equals(a.getAuthority()))) {
				throw new TenantAccessDeniedException("This endpoint is about the person signed in (their extension, "
						+ "webphone, presence); a service account has none. Call it with a person's token.");
			}
			return new AuthorizationDecision(true);
		};
	}

	static OAuth2TokenValidator<Jwt> audience(String audience) {
		var error = new OAuth2Error("invalid_token", "The token is not meant for Voxdesk (audience " + audience + ")", null);
		return jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
				? OAuth2TokenValidatorResult.success()
				: OAuth2TokenValidatorResult.failure(error);
	}

	/**
	 * Keycloak puts realm roles under {@code realm_access.roles}; they become {@code ROLE_<name>}. A service account's
	 * token (its client's fixed claim) also gets {@link TenantRequestFilter#SERVICE_ACCOUNT}.
	 */
	static JwtAuthenticationConverter realmRoles() {
		var converter = new JwtAuthenticationConverter();
		converter.setPrincipalClaimName("preferred_username");
		converter.setJwtGrantedAuthoritiesConverter(jwt -> {
			Map<String, Object> realmAccess = jwt.getClaimAsMap("realm_access");
			Object roles = realmAccess == null ? null : realmAccess.get("roles");
			Stream<?> names = roles instanceof Collection<?> collection ? collection.stream() : Stream.empty();
			var authorities = names.map(name -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + name));
			return Boolean.TRUE.equals(jwt.getClaimAsBoolean(TenantRequestFilter.SERVICE_ACCOUNT_CLAIM))
					? Stream.concat(authorities, Stream.of(new SimpleGrantedAuthority(TenantRequestFilter.SERVICE_ACCOUNT))).toList()
					: authorities.toList();
		});
		return converter;
	}
}
