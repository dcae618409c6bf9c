package io.voxdesk.realtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.voxdesk.campaigns.CampaignId;
import io.voxdesk.campaigns.CampaignManagement;
import io.voxdesk.campaigns.CampaignReport;
import io.voxdesk.campaigns.CampaignState;
import io.voxdesk.campaigns.CampaignsInProgress;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.simp.SimpMessagingTemplate;

/**
 * Two instances' {@link CampaignFeed}s over one campaign in progress, taking turns on the real PostgreSQL
 * ({@link FeedTurn}): the figures are pushed once, by the instance whose turn it is, and by the other once that one
 * stopped. The campaign and its figures are stand-ins; what is under test is who pushes.
 */
class CampaignFeedTests {

	final TenantId tenant = TenantId.of("acme");

	final CampaignId campaign = CampaignId.of(UUID.randomUUID());

	final FeedTurn turnOne = new FeedTurn(FeedTurnTests.dataSource());

	final FeedTurn turnTwo = new FeedTurn(FeedTurnTests.dataSource());

	final List<Message<?>> pushed = new CopyOnWriteArrayList<>();

	int attempts = 1;

	@AfterEach
	void giveUp() {
		turnOne.destroy();
		turnTwo.destroy();
	}

	CampaignFeed instance(FeedTurn turn) {
		var local = new SimpMessagingTemplate((message, timeout) -> pushed.add(message));
		local.setMessageConverter(new JacksonJsonMessageConverter());
		var feeds = new FeedSender(new LocalFeeds(local, new Conflation()), provider(FeedRelay.class, null));
		var inProgress = mock(CampaignsInProgress.class);
		when(inProgress.inProgress()).thenReturn(List.of(new CampaignsInProgress.Ref(tenant, campaign)));
		var campaigns = mock(CampaignManagement.class);
		when(campaigns.report(campaign)).thenAnswer(invocation -> report());
		var context = mock(TenantContext.class);
		when(context.callAs(any(), any())).thenAnswer(invocation -> ((Supplier<?>) invocation.getArgument(1)).get());
		return new CampaignFeed(feeds, inProgress, campaigns, context, provider(FeedTurn.class, turn));
	}

	CampaignReport report() {
		return new CampaignReport(campaign, "Renewals", CampaignState.RUNNING, 10, Map.of(), Map.of(), attempts, 0.1, 1, 1,
				0, 0.0, List.of(), Map.of());
	}

	static <T> ObjectProvider<T> provider(Class<T> type, T bean) {
		var factory = new StaticListableBeanFactory();
		if (bean != null) {
			factory.addBean(type.getSimpleName(), bean);
		}
		return factory.getBeanProvider(type);
	}

	@Test
	void eachChangeOfTheFiguresIsPushedOnceByTheInstanceWhoseTurnItIs() {
		var one = instance(turnOne);
		var two = instance(turnTwo);

		one.push();
		two.push();
		assertThat(pushed).hasSize(1);
		assertThat(SimpMessageHeaderAccessor.getDestination(pushed.getFirst().getHeaders()))
			.isEqualTo("/topic/tenants/acme/campaigns");

		attempts = 2;
		two.push();
		one.push();
		two.push();
		assertThat(pushed).as("one more, for the one change").hasSize(2);

		turnOne.destroy();
		attempts = 3;
		two.push();
		one.push();
		two.push();
		assertThat(pushed).as("the other instance took over").hasSize(3);
	}
}
