package io.voxdesk.tenants.internal;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Key management and caching settings under {@code voxdesk.tenants}.
 *
 * @param masterKeys master keys by version: 32 random bytes in base64 each (jasypt {@code ENC(...)} accepted).
 *        Keep retired versions until every tenant key was re-wrapped under the active one.
 * @param activeMasterKey the version that wraps new tenant keys; the highest configured version by default.
 * @param statusCacheTime how long a tenant's status is remembered between requests: a deactivation made on another
 *        instance refuses the tenant's users after at most this long (at once on the instance that made it).
 * @param dataKeyCacheTime how long an unwrapped tenant data key is kept in memory after it was read.
 */
@ConfigurationProperties("voxdesk.tenants")
record TenantsSettings(@Nullable Map<Integer, String> masterKeys, @Nullable Integer activeMasterKey,
		@DefaultValue("5s") Duration statusCacheTime, @DefaultValue("5m") Duration dataKeyCacheTime) {
}
