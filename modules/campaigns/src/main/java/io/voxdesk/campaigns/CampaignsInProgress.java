package io.voxdesk.campaigns;

import java.util.List;

import io.voxdesk.tenants.TenantId;

/** The campaigns whose figures still move, in every tenant: what live monitors follow. */
public interface CampaignsInProgress {

	/**
	 * Campaigns running, paused (calls in progress still end) or ended in the last few seconds (their final
	 * figures), oldest first.
	 */
	List<Ref> inProgress();

	/** One campaign and its tenant. */
	record Ref(TenantId tenant, CampaignId campaign) {
	}
}
