package io.voxdesk;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Boots the API4COM connector's tests: {@code @ApplicationModuleTest} narrows it to the module under test. */
@SpringBootApplication
class Api4comTestApplication {
}
