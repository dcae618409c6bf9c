package io.voxdesk;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.voxdesk.tenants.TenantRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import tools.jackson.databind.json.JsonMapper;

/**
 * Limits the requests of each user and of each tenant ({@link RateLimitSettings}), so one user's burst (or one
 * tenant's) cannot slow everybody else down. Runs inside Spring Security's filter chain, after it authenticated the
 * token and checked the tenant; requests without a token (webhooks, health, the WebSocket handshake) are not
 * counted here.
 */
@Component
@Order(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1)
class RateLimits extends OncePerRequestFilter {

	private final RateLimitSettings settings;

	private final JsonMapper json;

	// Keyed by token subject and tenant id: one entry per real account and tenant, since only verified tokens count.
	private final ConcurrentMap<String, Bucket> users = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Bucket> tenants = new ConcurrentHashMap<>();

	RateLimits(RateLimitSettings settings, JsonMapper json) {
		this.settings = settings;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!settings.enabled()
				|| !(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)) {
			chain.doFilter(request, response);
			return;
		}
		var user = token.getToken().getSubject();
		if (user != null) {
			var probe = users.computeIfAbsent(user, key -> bucket(settings.userCapacity(), settings.userPerSecond()))
				.tryConsumeAndReturnRemaining(1);
			if (!probe.isConsumed()) {
				refuse(request, response, probe.getNanosToWaitForRefill(), "You sent more than "
						+ settings.userPerSecond() + " requests per second (bursts up to " + settings.userCapacity()
						+ ")");
				return;
			}
		}
		var tenant = token.getToken().getClaimAsString(TenantRequestFilter.TENANT_CLAIM);
		if (tenant != null) {
			var probe = tenants.computeIfAbsent(tenant, key -> bucket(settings.tenantCapacity(), settings.tenantPerSecond()))
				.tryConsumeAndReturnRemaining(1);
			if (!probe.isConsumed()) {
				refuse(request, response, probe.getNanosToWaitForRefill(), "Your organization's users together sent "
						+ "more than " + settings.tenantPerSecond() + " requests per second (bursts up to "
						+ settings.tenantCapacity() + ")");
				return;
			}
		}
		chain.doFilter(request, response);
	}

	private static Bucket bucket(long capacity, long perSecond) {
		return Bucket.builder()
			.addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
			.build();
	}

	private void refuse(HttpServletRequest request, HttpServletResponse response, long nanosToWait, String what)
			throws IOException {
		var seconds = Math.max(1, (TimeUnit.NANOSECONDS.toMillis(nanosToWait) + 999) / 1000);
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
				what + "; retry in " + seconds + " s.");
		problem.setTitle("Too many requests");
		problem.setInstance(URI.create(request.getRequestURI()));
		response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		json.writeValue(response.getOutputStream(), problem);
	}
}
