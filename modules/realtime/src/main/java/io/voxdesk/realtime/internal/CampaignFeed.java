package io.voxdesk.realtime.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;

import io.voxdesk.campaigns.CampaignId;
import io.voxdesk.campaigns.CampaignManagement;
import io.voxdesk.campaigns.CampaignReport;
import io.voxdesk.campaigns.CampaignsInProgress;
import io.voxdesk.tenants.TenantContext;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Pushes the figures of every campaign in progress to its tenant's admins ({@code /topic/tenants/<tenant>/campaigns},
 * the body of {@code GET /api/campaigns/{id}/report}) once a second while they change: calls are counted in the
 * database as they end, so the monitor reads them from there rather than from each call's events. With several
 * instances only the one whose {@link FeedTurn} it is pushes them.
 */
@Component
class CampaignFeed {

	private static final Logger log = LoggerFactory.getLogger(CampaignFeed.class);

	private final FeedSender feeds;

	private final CampaignsInProgress inProgress;

	private final CampaignManagement campaigns;

	private final TenantContext context;

	/** With the relay, only the instance whose turn it is pushes: the others would push the same figures again. */
	private final @Nullable FeedTurn turn;

	/** What was pushed last for each campaign in progress: an unchanged report is not pushed again. */
	private final Map<CampaignId, CampaignReport> pushed = new HashMap<>();

	CampaignFeed(FeedSender feeds, CampaignsInProgress inProgress, CampaignManagement campaigns,
			TenantContext context, ObjectProvider<FeedTurn> turn) {
		this.feeds = feeds;
		this.turn = turn.getIfAvailable();
		this.inProgress = inProgress;
		this.campaigns = campaigns;
		this.context = context;
	}

	@Scheduled(fixedDelayString = "${voxdesk.realtime.campaign-interval:1s}")
	synchronized void push() {
		if (turn != null && !turn.mine()) {
			// Whoever has the turn pushes; if it comes back here, everything is pushed once more, which is harmless.
			pushed.clear();
			return;
		}
		var seen = new HashSet<CampaignId>();
		for (var ref : inProgress.inProgress()) {
			seen.add(ref.campaign());
			try {
				var report = context.callAs(ref.tenant(), () -> campaigns.report(ref.campaign()));
				if (!report.equals(pushed.get(ref.campaign()))) {
					feeds.toTopic("/topic/tenants/" + ref.tenant().value() + "/campaigns", report, ref.campaign().toString());
					pushed.put(ref.campaign(), report);
				}
			}
			catch (RuntimeException ex) {
				log.warn("Campaign {}: its figures could not be pushed: {}", ref.campaign(), ex.toString());
			}
		}
		pushed.keySet().retainAll(seen);
	}
}
