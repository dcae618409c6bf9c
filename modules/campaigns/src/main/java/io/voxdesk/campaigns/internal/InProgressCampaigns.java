package io.voxdesk.campaigns.internal;

import java.util.List;
import java.util.UUID;

import io.voxdesk.campaigns.CampaignId;
import io.voxdesk.campaigns.CampaignsInProgress;
import io.voxdesk.tenants.TenantId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the campaigns in progress through {@code campaigns_in_progress()}, which sees every tenant's ids. */
@Component
class InProgressCampaigns implements CampaignsInProgress {

	private final JdbcClient jdbc;

	InProgressCampaigns(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<Ref> inProgress() {
		return jdbc.sql("select tenant_id, id from campaigns_in_progress()")
			.query((rs, row) -> new Ref(TenantId.of(rs.getString(1)), CampaignId.of(rs.getObject(2, UUID.class))))
			.list();
	}
}
