package io.voxdesk.webhooks.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The receiver's side, exactly as docs/webhooks.md shows it to host developers: verifies a Voxdesk delivery's
 * Standard Webhooks signature. The tests check real deliveries with it, and that the document quotes this file.
 */
final class WebhookReceiverExample {

	// --- docs/webhooks.md: Java receiver (begin)
	/** Whether a delivery is authentic: a signature matches and the timestamp is within five minutes. */
	static boolean verify(String secret, String id, String timestamp, String signatures, String body) throws Exception {
		long sent = Long.parseLong(timestamp);
		if (Math.abs(Instant.now().getEpochSecond() - sent) > 300) {
			return false; // too old or too new: a replay
		}
		byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(key, "HmacSHA256"));
		byte[] expected = Base64.getEncoder()
			.encode(mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
		for (String signature : signatures.split(" ")) {
			String[] parts = signature.split(",", 2);
			if (parts.length == 2 && parts[0].equals("v1")
					&& MessageDigest.isEqual(expected, parts[1].getBytes(StandardCharsets.US_ASCII))) {
				return true;
			}
		}
		return false;
	}
	// --- docs/webhooks.md: Java receiver (end)

	private WebhookReceiverExample() {
	}
}
