package io.voxdesk.campaigns;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The current tenant's voice campaigns and their states. Campaigns run on Asterisk connections only: API4COM's API
 * has no broadcast dialer. Every refusal is a {@link CampaignRefusedException} that says what to do instead.
 */
public interface CampaignManagement {

	/** The tenant's campaigns, newest first. */
	List<CampaignDetails> list();

	Optional<CampaignDetails> find(CampaignId id);

	/** Creates a campaign in {@code draft}; its selection must hold at least one contact. */
	CampaignDetails create(CampaignDraft draft);

	/**
	 * Changes a campaign. A draft or scheduled campaign may change in everything; a running or paused one only in
	 * its concurrency and window (its audio, contacts, connection and rules are what it was started with).
	 */
	CampaignDetails update(CampaignId id, CampaignDraft draft);

	/** Deletes a draft; any other campaign is cancelled instead, and kept for its reports. */
	void delete(CampaignId id);

	/** Starts a draft or scheduled campaign now: its contacts are fixed, and the dialer takes it. */
	CampaignDetails start(CampaignId id);

	/** Makes a draft start by itself at {@code at}. */
	CampaignDetails schedule(CampaignId id, Instant at);

	/** Stops placing calls (those in progress finish) until resumed. */
	CampaignDetails pause(CampaignId id);

	CampaignDetails resume(CampaignId id);

	/** Ends a campaign that has not ended: nothing more is dialled; calls in progress finish. */
	CampaignDetails cancel(CampaignId id);

	/**
	 * The campaign's figures now: contacts by outcome, attempts, talk time, answer rate by hour.
	 *
	 * @throws CampaignNotFoundException if the tenant has no such campaign.
	 */
	CampaignReport report(CampaignId id);

	/**
	 * Writes every attempt of the campaign as CSV (placed, number, attempt, outcome, cause, answered, ended, talk
	 * seconds), oldest first, row by row from the database, so 100,000 attempts never sit in memory.
	 *
	 * @throws CampaignNotFoundException if the tenant has no such campaign.
	 */
	void exportAttempts(CampaignId id, Writer out) throws IOException;
}
