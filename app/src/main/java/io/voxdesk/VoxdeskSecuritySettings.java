package io.voxdesk;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Security settings under {@code voxdesk.security}.
 *
 * @param audience the audience every access token must carry: the Keycloak client id of the Voxdesk API.
 * @param verifiedTokens how many verified access tokens are kept until they expire, so that a client's requests
 *        do not each pay for checking the token's signature; 0 checks every request's token.
 */
@ConfigurationProperties("voxdesk.security")
record VoxdeskSecuritySettings(@DefaultValue("voxdesk-api") String audience,
		@DefaultValue("10000") int verifiedTokens) {
}
