package io.voxdesk;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Boots the webhooks module's tests: {@code @ApplicationModuleTest} narrows it to the module under test. */
@SpringBootApplication
class WebhooksTestApplication {
}
