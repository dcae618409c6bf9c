package io.voxdesk;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Boots the service accounts module's tests: {@code @ApplicationModuleTest} narrows it to the module under test. */
@SpringBootApplication
class ServiceAccountsTestApplication {
}
