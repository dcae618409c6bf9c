package io.voxdesk.tenants.internal;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Key management settings under {@code voxdesk.tenants}.
 *
 * @param masterKeys master keys by version: 32 random bytes in base64 each (jasypt {@code ENC(...)} accepted).
 *        Keep retired versions until every tenant key was re-wrapped under the active one.
 * @param activeMasterKey the version that wraps new tenant keys; the highest configured version by default.
 */
@ConfigurationProperties("voxdesk.tenants")
public record TenantsSettings(@Nullable Map<Integer, String> masterKeys, @Nullable Integer activeMasterKey) {
}
