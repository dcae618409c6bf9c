package io.voxdesk.api4com.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.voxdesk.api4com.Api4comSettings;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * API4COM's webhook URL, {@code POST /webhooks/api4com/{token}}: open to the internet (API4COM sends no
 * credentials), the token in the path is the secret. The token is checked before the body is read, and the body is
 * read up to {@code voxdesk.api4com.webhook-body-limit}. Answers 202 for every webhook it could read, even when it
 * had nothing to apply, so that API4COM does not keep resending it. Every webhook is counted by outcome in
 * {@code voxdesk.api4com.webhooks}.
 */
@RestController
class WebhookController implements MeterBinder {

	private static final List<String> OUTCOMES = List.of("applied", "duplicate", "ignored", "unknown-token",
			"malformed", "too-large", "failed");

	private final Map<String, AtomicLong> outcomes = OUTCOMES.stream()
		.collect(Collectors.toUnmodifiableMap(Function.identity(), outcome -> new AtomicLong()));

	private final WebhookReceiver receiver;

	private final long limit;

	WebhookController(WebhookReceiver receiver, Api4comSettings settings) {
		this.receiver = receiver;
		this.limit = settings.webhookBodyLimit().toBytes();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		outcomes.forEach((outcome, count) -> FunctionCounter.builder("voxdesk.api4com.webhooks", count, AtomicLong::get)
			.description("API4COM webhooks received, by outcome: applied, duplicate and ignored were acknowledged; "
					+ "unknown-token, malformed and too-large were refused; failed ended in a server error")
			.tag("outcome", outcome)
			.register(registry));
	}

	@PostMapping("/webhooks/api4com/{token}")
	ResponseEntity<WebhookReceiver.Result> receive(@PathVariable String token, HttpServletRequest request)
			throws IOException {
		try {
			var received = read(token, request);
			outcomes.get(received.result()).incrementAndGet();
			return ResponseEntity.accepted().body(received);
		}
		catch (ErrorResponseException ex) {
			outcomes.get(refusal(ex.getStatusCode().value())).incrementAndGet();
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			outcomes.get("failed").incrementAndGet();
			throw ex;
		}
	}

	private static String refusal(int status) {
		if (status == HttpStatus.NOT_FOUND.value()) {
			return "unknown-token";
		}
		if (status == HttpStatus.CONTENT_TOO_LARGE.value()) {
			return "too-large";
		}
		return status < 500 ? "malformed" : "failed";
	}

	private WebhookReceiver.Result read(String token, HttpServletRequest request) throws IOException {
		var target = receiver.target(token);
		if (request.getContentLengthLong() > limit) {
			throw WebhookReceiver.tooLarge(limit);
		}
		var bytes = request.getInputStream().readNBytes((int) limit + 1);
		if (bytes.length > limit) {
			throw WebhookReceiver.tooLarge(limit);
		}
		var body = bytes.length == 0 ? null : new String(bytes, StandardCharsets.UTF_8);
		return receiver.receive(target, body);
	}
}
