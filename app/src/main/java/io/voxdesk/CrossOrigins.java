package io.voxdesk;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

import tools.jackson.databind.json.JsonMapper;

/**
 * Lets a host CRM on another origin embed the webphone: its script and the REST API answer the origins in
 * {@code voxdesk.security.allowed-origins} (the same list {@code scripts/keycloak.sh} gives Keycloak's
 * {@code voxdesk-web} client), and refuse every other origin with a problem document.
 */
final class CrossOrigins {

	/** What a browser may send and read: bearer tokens in a header, never cookies, so no credentials mode. */
	private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

	private static final List<String> REQUEST_HEADERS = List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE,
			HttpHeaders.ACCEPT, HttpHeaders.ACCEPT_LANGUAGE, HttpHeaders.RANGE, HttpHeaders.IF_NONE_MATCH);

	private static final List<String> EXPOSED_HEADERS = List.of(HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER,
			HttpHeaders.CONTENT_RANGE, HttpHeaders.ACCEPT_RANGES, HttpHeaders.CONTENT_DISPOSITION, HttpHeaders.ETAG);

	private CrossOrigins() {
	}

	static CorsFilter filter(List<String> allowedOrigins, JsonMapper json) {
		var configuration = new CorsConfiguration();
		configuration.setAllowedOrigins(allowedOrigins);
		configuration.setAllowedMethods(METHODS);
		configuration.setAllowedHeaders(REQUEST_HEADERS);
		configuration.setExposedHeaders(EXPOSED_HEADERS);
		configuration.setAllowCredentials(false);
		configuration.setMaxAge(Duration.ofHours(1));
		var source = new UrlBasedCorsConfigurationSource();
		// The API and the webphone's script: a module script loaded from another origin is a CORS request too.
		source.registerCorsConfiguration("/api/**", configuration);
		source.registerCorsConfiguration("/webphone/**", configuration);
		var filter = new CorsFilter(source);
		filter.setCorsProcessor(new ProblemCorsProcessor(json));
		return filter;
	}

	/** Spring's checks, with a refusal a person can act on instead of the plain-text "Invalid CORS request". */
	private static final class ProblemCorsProcessor extends DefaultCorsProcessor {

		private final JsonMapper json;

		ProblemCorsProcessor(JsonMapper json) {
			this.json = json;
		}

		@Override
		protected void rejectRequest(ServerHttpResponse response) throws IOException {
			var problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
					"This page's origin, method or headers may not call Voxdesk from a browser. An administrator "
							+ "allows a host application's origin with voxdesk.security.allowed-origins "
							+ "(VOXDESK_SECURITY_ALLOWEDORIGINS).");
			problem.setTitle("Origin not allowed");
			response.setStatusCode(HttpStatus.FORBIDDEN);
			response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
			response.getBody().write(json.writeValueAsBytes(problem));
			response.flush();
		}
	}
}
