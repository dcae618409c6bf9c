package io.voxdesk.serviceaccounts;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Voxdesk manages service accounts in Keycloak ({@code voxdesk.serviceaccounts.*}).
 *
 * @param adminClientId the Keycloak client Voxdesk signs in as (client credentials) to create and delete service
 *     accounts' clients; its service account needs the realm-management roles {@code manage-clients},
 *     {@code manage-users} and {@code view-realm}
 * @param adminClientSecret that client's secret; without it, service accounts cannot be created (503)
 * @param adminUrl Keycloak's base URL for its admin API; by default the issuer's ({@code …/realms/<realm>}) base
 * @param clientIdPrefix what every service account's client id starts with, so operators see whose clients they are
 * @param maxPerTenant how many service accounts one tenant may have
 * @param timeout how long one call to Keycloak's admin API may take
 */
@ConfigurationProperties("voxdesk.serviceaccounts")
public record ServiceAccountsSettings(@DefaultValue("voxdesk-api") String adminClientId,
		@Nullable String adminClientSecret, @Nullable String adminUrl, @DefaultValue("voxdesk-sa-") String clientIdPrefix,
		@DefaultValue("20") int maxPerTenant, @DefaultValue("10s") Duration timeout) {
}
