package io.voxdesk;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Boots the Asterisk connector's tests: {@code @ApplicationModuleTest} narrows it to the module under test. */
@SpringBootApplication
class AsteriskTestApplication {
}
