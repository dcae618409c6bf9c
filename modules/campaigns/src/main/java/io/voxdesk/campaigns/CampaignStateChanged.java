package io.voxdesk.campaigns;

import java.time.Instant;

import io.voxdesk.tenants.Actor;
import io.voxdesk.tenants.TenantId;

/** A campaign moved from one state to another, such as {@code running} to {@code paused}. */
public record CampaignStateChanged(TenantId tenantId, CampaignId campaignId, String name, CampaignState from,
		CampaignState to, Actor actor, Instant occurredAt) {
}
