package io.voxdesk;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Boots the campaigns module's tests: {@code @ApplicationModuleTest} narrows it to the module under test. */
@SpringBootApplication
class CampaignsTestApplication {
}
