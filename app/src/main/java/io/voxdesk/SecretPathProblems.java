package io.voxdesk;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Webhook URLs carry their secret in the path ({@code /webhooks/api4com/<token>}), and Spring names the request
 * path as a problem's {@code instance}: every problem answered on such a URL names only the webhook's kind.
 */
@RestControllerAdvice
class SecretPathProblems implements ResponseBodyAdvice<Object> {

	private static final String WEBHOOKS = "/webhooks/";

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType, MediaType contentType,
			Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
			ServerHttpResponse response) {
		if (body instanceof ProblemDetail problem && problem.getInstance() != null) {
			problem.setInstance(withoutSecret(problem.getInstance()));
		}
		return body;
	}

	/** {@code /webhooks/api4com/<token>} becomes {@code /webhooks/api4com}; other paths stay as they are. */
	static URI withoutSecret(URI instance) {
		var path = instance.getRawPath();
		if (path == null || !path.startsWith(WEBHOOKS)) {
			return instance;
		}
		var kind = path.substring(WEBHOOKS.length());
		var slash = kind.indexOf('/');
		return URI.create(WEBHOOKS + (slash < 0 ? kind : kind.substring(0, slash)));
	}
}
