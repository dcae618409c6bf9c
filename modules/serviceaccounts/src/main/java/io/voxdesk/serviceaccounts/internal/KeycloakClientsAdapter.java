package io.voxdesk.serviceaccounts.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.voxdesk.serviceaccounts.ServiceAccountsSettings;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantRequestFilter;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;

/**
 * Keycloak's admin API as Voxdesk uses it for service accounts: a confidential client with only the client
 * credentials grant, whose tokens carry the tenant ({@code tenant_id}), the Voxdesk audience and the service-account
 * mark as fixed claims, and the chosen realm roles on its service-account user.
 * <p>
 * Voxdesk signs in with its own admin client ({@link ServiceAccountsSettings#adminClientId()}). Keycloak out of reach
 * is a 503, a refusal a 502, each with a message for the admin.
 */
@Component
class KeycloakClientsAdapter {

	private static final Logger log = LoggerFactory.getLogger(KeycloakClientsAdapter.class);

	private final ServiceAccountsSettings settings;

	private final RestClient http;

	private final String realm;

	private final String base;

	private final String issuer;

	private final String audience;

	private final Clock clock = Clock.systemUTC();

	private @Nullable String adminToken;

	private Instant adminTokenUntil = Instant.EPOCH;

	KeycloakClientsAdapter(ServiceAccountsSettings settings,
			@Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri}") String issuer,
			@Value("${voxdesk.security.audience:voxdesk-api}") String audience) {
		this.settings = settings;
		this.issuer = issuer.replaceAll("/+$", "");
		this.audience = audience;
		var marker = issuer.lastIndexOf("/realms/");
		if (marker < 0) {
			throw new IllegalStateException("The token issuer " + issuer + " is not a Keycloak realm URL (…/realms/<realm>)");
		}
		this.realm = issuer.substring(marker + "/realms/".length()).replaceAll("/+$", "");
		var adminUrl = settings.adminUrl();
		this.base = (adminUrl == null || adminUrl.isBlank() ? issuer.substring(0, marker) : adminUrl).replaceAll("/+$", "");
		var requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder().connectTimeout(settings.timeout()).build());
		requests.setReadTimeout(settings.timeout());
		this.http = RestClient.builder().requestFactory(requests).build();
	}

	/** Where a service account gets its tokens (client credentials grant): the issuer's, as hosts reach it. */
	URI tokenUrl() {
		return URI.create(issuer + "/protocol/openid-connect/token");
	}

	/** Where Voxdesk signs in itself, through the admin URL when one is set. */
	private URI adminTokenUrl() {
		return URI.create(base + "/realms/" + realm + "/protocol/openid-connect/token");
	}

	/** Creates the client and maps the roles onto its service-account user; undone if any step fails. */
	Created create(String clientId, String name, TenantId tenant, Set<String> roles) {
		var client = Map.of("clientId", clientId, "name", name,
				"description", "Voxdesk service account of tenant " + tenant.value() + " (managed by Voxdesk)",
				"enabled", true, "publicClient", false, "serviceAccountsEnabled", true, "standardFlowEnabled", false,
				"implicitFlowEnabled", false, "directAccessGrantsEnabled", false,
				"protocolMappers", List.of(
						fixedClaim("tenant", TenantRequestFilter.TENANT_CLAIM, tenant.value(), "String"),
						fixedClaim("service account", TenantRequestFilter.SERVICE_ACCOUNT_CLAIM, "true", "boolean"),
						Map.of("name", "voxdesk-api-audience", "protocol", "openid-connect",
								"protocolMapper", "oidc-audience-mapper", "config",
								Map.of("included.client.audience", audience, "access.token.claim", "true",
										"id.token.claim", "false", "introspection.token.claim", "true"))));
		var location = call("create the client", () -> admin().post()
			.uri(admin("/clients"))
			.contentType(MediaType.APPLICATION_JSON)
			.body(client)
			.retrieve()
			.toBodilessEntity()
			.getHeaders()
			.getLocation());
		if (location == null) {
			throw refused("create the client", "Keycloak did not say where the new client is");
		}
		var path = location.getPath();
		var id = path.substring(path.lastIndexOf('/') + 1);
		try {
			var user = call("find the service-account user", () -> admin().get()
				.uri(admin("/clients/" + id + "/service-account-user"))
				.retrieve()
				.body(JsonNode.class));
			var mapped = roles.stream().map(role -> call("read the role " + role, () -> admin().get()
				.uri(admin("/roles/" + role))
				.retrieve()
				.body(JsonNode.class))).map(role -> Map.of("id", role.path("id").asString(), "name", role.path("name").asString()))
				.toList();
			call("give the roles", () -> admin().post()
				.uri(admin("/users/" + user.path("id").asString() + "/role-mappings/realm"))
				.contentType(MediaType.APPLICATION_JSON)
				.body(mapped)
				.retrieve()
				.toBodilessEntity());
			return new Created(id, secret(id, false));
		}
		catch (RuntimeException e) {
			deleteQuietly(id);
			throw e;
		}
	}

	/** A new secret for the client; the previous one stops working at once. */
	String rotateSecret(String keycloakId) {
		return secret(keycloakId, true);
	}

	/** Deletes the client; one that is gone already counts as deleted. */
	void delete(String keycloakId) {
		try {
			call("delete the client", () -> admin().delete().uri(admin("/clients/" + keycloakId)).retrieve().toBodilessEntity());
		}
		catch (KeycloakAnswer e) {
			if (e.status != HttpStatus.NOT_FOUND.value()) {
				throw e;
			}
		}
	}

	/** Removes a half-made client; a failure is logged, as the caller already reports the first one. */
	void deleteQuietly(String keycloakId) {
		try {
			delete(keycloakId);
		}
		catch (RuntimeException e) {
			log.warn("Could not remove the half-created Keycloak client {}: {}", keycloakId, e.getMessage());
		}
	}

	private String secret(String keycloakId, boolean regenerate) {
		var uri = admin("/clients/" + keycloakId + "/client-secret");
		var answer = call(regenerate ? "make a new secret" : "read the secret",
				() -> (regenerate ? admin().post().uri(uri) : admin().get().uri(uri)).retrieve().body(JsonNode.class));
		var value = answer.path("value").asString("");
		if (value.isBlank()) {
			throw refused("read the secret", "Keycloak answered without a secret");
		}
		return value;
	}

	private static Map<String, Object> fixedClaim(String name, String claim, String value, String type) {
		return Map.of("name", name, "protocol", "openid-connect", "protocolMapper", "oidc-hardcoded-claim-mapper",
				"config", Map.of("claim.name", claim, "claim.value", value, "jsonType.label", type,
						"access.token.claim", "true", "id.token.claim", "false", "userinfo.token.claim", "false",
						"introspection.token.claim", "true"));
	}

	private URI admin(String path) {
		return URI.create(base + "/admin/realms/" + realm + path);
	}

	/** A client that carries Voxdesk's admin token. */
	private RestClient admin() {
		var token = adminToken();
		return http.mutate().defaultHeader("Authorization", "Bearer " + token).build();
	}

	private synchronized String adminToken() {
		var now = clock.instant();
		if (adminToken != null && now.isBefore(adminTokenUntil)) {
			return adminToken;
		}
		var secret = settings.adminClientSecret();
		if (secret == null || secret.isBlank()) {
			var problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "Service accounts are not "
					+ "set up on this Voxdesk: its operator must give it Keycloak admin credentials "
					+ "(voxdesk.serviceaccounts.admin-client-secret).");
			problem.setTitle("Service accounts not set up");
			throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
		}
		var form = new LinkedMultiValueMap<String, String>();
		form.add("grant_type", "client_credentials");
		form.add("client_id", settings.adminClientId());
		form.add("client_secret", secret);
		var answer = call("sign in as " + settings.adminClientId(), () -> http.post()
			.uri(adminTokenUrl())
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(form)
			.retrieve()
			.body(JsonNode.class));
		var token = answer.path("access_token").asString("");
		if (token.isBlank()) {
			throw refused("sign in as " + settings.adminClientId(), "Keycloak answered without an access token");
		}
		adminToken = token;
		adminTokenUntil = now.plusSeconds(Math.max(0, answer.path("expires_in").asLong(60) - 30));
		return adminToken;
	}

	private <T> T call(String step, Step<T> work) {
		try {
			var result = work.run();
			if (result == null) {
				throw refused(step, "Keycloak answered with an empty body");
			}
			return result;
		}
		catch (ResourceAccessException e) {
			log.warn("Keycloak's admin API is out of reach ({}): {}", step, e.getMessage());
			var problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
					"Keycloak is out of reach, so Voxdesk could not " + step + ". Try again in a minute.");
			problem.setTitle("Keycloak out of reach");
			throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, e);
		}
		catch (HttpStatusCodeException e) {
			if (e instanceof HttpClientErrorException.Unauthorized) {
				synchronized (this) {
					adminToken = null;
				}
			}
			log.warn("Keycloak's admin API refused to {}: {} {}", step, e.getStatusCode().value(),
					e.getResponseBodyAsString().lines().findFirst().orElse(""));
			throw new KeycloakAnswer(e.getStatusCode(), refused(step, "Keycloak answered " + e.getStatusCode().value()), e);
		}
	}

	private static ErrorResponseException refused(String step, String why) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
				"Keycloak refused to " + step + " (" + why + "). Your platform operator finds the cause in Voxdesk's log.");
		problem.setTitle("Keycloak refused");
		return new ErrorResponseException(HttpStatus.BAD_GATEWAY, problem, null);
	}

	/** A step's work against Keycloak. */
	@FunctionalInterface
	private interface Step<T> {

		@Nullable T run();
	}

	/** Keycloak's own refusal, kept with its status so the caller may accept some (a 404 on delete). */
	static final class KeycloakAnswer extends ErrorResponseException {

		private final int status;

		KeycloakAnswer(HttpStatusCode status, ErrorResponseException problem, Throwable cause) {
			super(problem.getStatusCode(), problem.getBody(), cause);
			this.status = status.value();
		}
	}

	/** A created client: its internal id in Keycloak and its first secret. */
	record Created(String keycloakId, String secret) {
	}
}
