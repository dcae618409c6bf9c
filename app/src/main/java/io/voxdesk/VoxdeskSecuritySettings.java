package io.voxdesk;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Security settings under {@code voxdesk.security}.
 *
 * @param audience the audience every access token must carry: the Keycloak client id of the Voxdesk API.
 * @param verifiedTokens how many verified access tokens are kept until they expire, so that a client's requests
 *        do not each pay for checking the token's signature; 0 checks every request's token.
 * @param allowedOrigins the origins of host applications whose pages may embed the webphone and call the API from
 *        the browser (for example {@code https://crm.example.com}); none by default: same origin only.
 */
@ConfigurationProperties("voxdesk.security")
record VoxdeskSecuritySettings(@DefaultValue("voxdesk-api") String audience,
		@DefaultValue("10000") int verifiedTokens, @DefaultValue List<String> allowedOrigins) {
}
