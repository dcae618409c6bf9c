package io.voxdesk;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Security settings under {@code voxdesk.security}.
 *
 * @param audience the audience every access token must carry: the Keycloak client id of the Voxdesk API.
 */
@ConfigurationProperties("voxdesk.security")
record VoxdeskSecuritySettings(@DefaultValue("voxdesk-api") String audience) {
}
