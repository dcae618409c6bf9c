package io.voxdesk.api4com.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * API4COM's webhook URL, {@code POST /webhooks/api4com/{token}}: open to the internet (API4COM sends no
 * credentials), the token in the path is the secret. Answers 202 for every webhook it could read, even when it
 * had nothing to apply, so that API4COM does not keep resending it.
 */
@RestController
class WebhookController {

	private final WebhookReceiver receiver;

	WebhookController(WebhookReceiver receiver) {
		this.receiver = receiver;
	}

	@PostMapping("/webhooks/api4com/{token}")
	ResponseEntity<WebhookReceiver.Result> receive(@PathVariable String token,
			@RequestBody(required = false) @Nullable String body) {
		return ResponseEntity.accepted().body(receiver.receive(token, body));
	}
}
