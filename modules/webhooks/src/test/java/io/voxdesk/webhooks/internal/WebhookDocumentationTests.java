package io.voxdesk.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * docs/webhooks.md quotes the receiver code the tests verify real deliveries with (Java here, Python run by
 * WebhookDeliveryTests, TypeScript by the webphone's Vitest suite), and lists every event type.
 */
class WebhookDocumentationTests {

	static final Path DOC = Path.of("..", "..", "docs", "webhooks.md");

	@Test
	void theDocumentQuotesTheTestedJavaReceiverExactly() throws IOException {
		var source = Files.readString(Path.of("src", "test", "java", "io", "voxdesk", "webhooks", "internal",
				"WebhookReceiverExample.java"));
		var begin = "	// --- docs/webhooks.md: Java receiver (begin)\n";
		var snippet = source.substring(source.indexOf(begin) + begin.length(),
				source.indexOf("	// --- docs/webhooks.md: Java receiver (end)"));
		assertThat(Files.readString(DOC)).contains("```java\n" + snippet + "```");
	}

	@Test
	void theDocumentQuotesTheTestedPythonReceiverExactly() throws IOException {
		var source = Files.readString(Path.of("..", "..", "docs", "examples", "webhook_receiver.py"));
		var begin = "# --- docs/webhooks.md: Python receiver (begin)\n";
		var snippet = source.substring(source.indexOf(begin) + begin.length(),
				source.indexOf("# --- docs/webhooks.md: Python receiver (end)"));
		assertThat(Files.readString(DOC)).contains("```python\n" + snippet + "```");
	}

	@Test
	void theDocumentListsEveryEventType() throws IOException {
		var document = Files.readString(DOC);
		assertThat(Arrays.stream(WebhookEventType.values()).map(type -> "| `" + type.code() + "` |"))
			.allSatisfy(row -> assertThat(document).contains(row));
	}
}
