package io.voxdesk.api4com;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How the API4COM connector talks to API4COM ({@code voxdesk.api4com.*}).
 *
 * @param publicBaseUrl where API4COM reaches this Voxdesk; webhook URLs are registered under it.
 * @param connectTimeout how long opening a connection to API4COM may take.
 * @param requestTimeout how long an ordinary API4COM request may take.
 * @param testTimeout how long each step of "Test connection" may take.
 * @param dialerAcknowledgeTimeout how long to wait for {@code POST /dialer} before taking the call as dialing (the
 *     dialer answers slowly while it rings the extension); a refusal arriving later still fails the call.
 * @param reconcileInterval how often open calls are compared with API4COM's call records.
 * @param reconcileAfter an open call is looked up in the call records once it is this old.
 * @param lostAfter an open call this old that API4COM has no record of is settled as lost (dialer ghost calls).
 * @param pageDelay the pause between two pages of {@code GET /calls} (API4COM answers 429 to fast paging).
 * @param rateLimitBackoff the pause after a 429 that names no reset time.
 * @param maxPages how many pages of call records one reconciliation reads at most per connection.
 * @param registrationRetry how long after a failed webhook registration the reconciliation tries again.
 * @param recordingHosts the hosts recordings are fetched from, each with its subdomains; a recording link elsewhere
 *     is not followed (a webhook could otherwise make Voxdesk fetch any URL into a call's recording).
 * @param webhookBodyLimit the largest webhook body read (API4COM's are about 1 KB); a larger one is refused.
 */
@ConfigurationProperties("voxdesk.api4com")
public record Api4comSettings(@DefaultValue("http://127.0.0.1:8080") String publicBaseUrl,
		@DefaultValue("3s") Duration connectTimeout, @DefaultValue("10s") Duration requestTimeout,
		@DefaultValue("3s") Duration testTimeout, @DefaultValue("5s") Duration dialerAcknowledgeTimeout,
		@DefaultValue("60s") Duration reconcileInterval, @DefaultValue("2m") Duration reconcileAfter,
		@DefaultValue("2h") Duration lostAfter, @DefaultValue("600ms") Duration pageDelay,
		@DefaultValue("5s") Duration rateLimitBackoff, @DefaultValue("50") int maxPages,
		@DefaultValue("5m") Duration registrationRetry, @DefaultValue("api4com.com") List<String> recordingHosts,
		@DefaultValue("64KB") DataSize webhookBodyLimit) {
}
