package io.voxdesk.api4com.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.voxdesk.api4com.Api4comSettings;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * API4COM's webhook URL, {@code POST /webhooks/api4com/{token}}: open to the internet (API4COM sends no
 * credentials), the token in the path is the secret. The token is checked before the body is read, and the body is
 * read up to {@code voxdesk.api4com.webhook-body-limit}. Answers 202 for every webhook it could read, even when it
 * had nothing to apply, so that API4COM does not keep resending it.
 */
@RestController
class WebhookController {

	private final WebhookReceiver receiver;

	private final long limit;

	WebhookController(WebhookReceiver receiver, Api4comSettings settings) {
		this.receiver = receiver;
		this.limit = settings.webhookBodyLimit().toBytes();
	}

	@PostMapping("/webhooks/api4com/{token}")
	ResponseEntity<WebhookReceiver.Result> receive(@PathVariable String token, HttpServletRequest request)
			throws IOException {
		var target = receiver.target(token);
		if (request.getContentLengthLong() > limit) {
			throw WebhookReceiver.tooLarge(limit);
		}
		var bytes = request.getInputStream().readNBytes((int) limit + 1);
		if (bytes.length > limit) {
			throw WebhookReceiver.tooLarge(limit);
		}
		var body = bytes.length == 0 ? null : new String(bytes, StandardCharsets.UTF_8);
		return ResponseEntity.accepted().body(receiver.receive(target, body));
	}
}
