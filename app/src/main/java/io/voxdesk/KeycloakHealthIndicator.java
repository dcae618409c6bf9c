package io.voxdesk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.stereotype.Component;

/**
 * Reports whether Keycloak answers its OpenID discovery document: without it no new token validates, so the
 * instance is not ready for traffic.
 */
@Component("keycloak")
class KeycloakHealthIndicator extends AbstractHealthIndicator {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private final URI discovery;

	KeycloakHealthIndicator(OAuth2ResourceServerProperties properties) {
		super("Keycloak is not reachable");
		this.discovery = URI.create(properties.getJwt().getIssuerUri() + "/.well-known/openid-configuration");
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		var response = http.send(HttpRequest.newBuilder(discovery).timeout(TIMEOUT).GET().build(),
				HttpResponse.BodyHandlers.discarding());
		builder.withDetail("issuer", discovery.toString().replace("/.well-known/openid-configuration", ""))
			.withDetail("status", response.statusCode());
		if (response.statusCode() == 200) {
			builder.up();
		}
		else {
			builder.down();
		}
	}
}
