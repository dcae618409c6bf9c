package io.voxdesk.campaigns.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;
import io.voxdesk.calls.CampaignCall;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.calls.spi.AnsweredBy;
import io.voxdesk.calls.spi.BroadcastCall;
import io.voxdesk.calls.spi.BroadcastDialer;
import io.voxdesk.calls.spi.BroadcastOutcome;
import io.voxdesk.calls.spi.BroadcastPresence;
import io.voxdesk.calls.spi.BroadcastRecall;
import io.voxdesk.calls.spi.BroadcastReply;
import io.voxdesk.calls.spi.BroadcastReports;
import io.voxdesk.campaigns.CampaignDetails;
import io.voxdesk.campaigns.CampaignId;
import io.voxdesk.campaigns.CampaignManagement;
import io.voxdesk.campaigns.CampaignState;
import io.voxdesk.campaigns.Ivr;
import io.voxdesk.campaigns.MachineHandling;
import io.voxdesk.campaigns.RetryRule;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.contacts.DoNotCallList;
import io.voxdesk.contacts.DoNotCallSource;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dialer: every {@code pace-interval} it tops each running campaign up to its concurrency, within its window,
 * and applies what the connector reports. Each attempt's row is written, and its contact marked as being called, in
 * the transaction that decides to call; the call is placed after that commits, with the attempt's id on the PBX's
 * channel. The campaign's row is locked with {@code skip locked} while it is paced, so two instances never pace
 * the same campaign at once. The do-not-call list is read for each contact at the moment its attempt is decided.
 */
@Component
class CampaignDialer implements BroadcastReports {

	private static final Logger log = LoggerFactory.getLogger(CampaignDialer.class);

	private final JdbcClient jdbc;

	private final TenantContext context;

	private final CampaignManagement campaigns;

	private final DefaultCampaignManagement states;

	private final ProviderConnectionManagement connections;

	private final DoNotCallList doNotCall;

	private final ObjectProvider<BroadcastDialer> dialers;

	private final CampaignsSettings settings;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final CallManagement callRecords;

	CampaignDialer(JdbcClient jdbc, TenantContext context, CampaignManagement campaigns, DefaultCampaignManagement states,
			ProviderConnectionManagement connections, DoNotCallList doNotCall, ObjectProvider<BroadcastDialer> dialers,
			CampaignsSettings settings, PlatformTransactionManager transactions, CallManagement callRecords,
			Optional<Clock> clock) {
		this.callRecords = callRecords;
		this.jdbc = jdbc;
		this.context = context;
		this.campaigns = campaigns;
		this.states = states;
		this.connections = connections;
		this.doNotCall = doNotCall;
		this.dialers = dialers;
		this.settings = settings;
		this.transactions = new TransactionTemplate(transactions);
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/** How long a campaign waits after the PBX refused a call; doubled on each refusal in a row, up to a minute. */
	static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);

	static final Duration LONGEST_BACKOFF = Duration.ofMinutes(1);

	/** A campaign the PBX refused calls of: no call is placed until {@code until}. */
	private record Backoff(Instant until, Duration delay) {
	}

	private final Map<CampaignId, Backoff> backoffs = new ConcurrentHashMap<>();

	/** Places a pass's calls, four requests to the PBX at a time. */
	private final ExecutorService placers = Executors.newFixedThreadPool(4,
			Thread.ofPlatform().name("campaign-placing-", 0).daemon().factory());

	/** The PBX's own sounds a menu falls back on: "that option is invalid", and goodbye. */
	static final String INVALID = "option-is-invalid";

	static final String GOODBYE = "vm-goodbye";

	/** When the next reconciliation is due; the first pass after a start reconciles at once. */
	private volatile Instant nextReconciliation = Instant.MIN;

	@Scheduled(fixedDelayString = "${voxdesk.campaigns.pace-interval:200ms}")
	void paceAll() {
		var now = clock.instant();
		if (!now.isBefore(nextReconciliation)) {
			nextReconciliation = now.plus(settings.reconcileInterval());
			reconcile(now);
		}
		var active = jdbc.sql("select tenant_id, id from active_campaigns()")
			.query((rs, row) -> new Object[] { TenantId.of(rs.getString(1)), CampaignId.of(rs.getObject(2, UUID.class)) })
			.list();
		for (var campaign : active) {
			try {
				context.runAs((TenantId) campaign[0], () -> pace((CampaignId) campaign[1]));
			}
			catch (RuntimeException ex) {
				log.warn("Pacing campaign {} failed: {}", campaign[1], ex.toString());
			}
		}
	}

	/**
	 * Ends the attempts the PBX no longer has although their end was never reported: the application stopped
	 * between recording an attempt and placing it, or while the call ended. Each ends as failed (its contact then
	 * follows the rule for failures, with a new attempt), or as answered if it had been.
	 */
	void reconcile(Instant now) {
		var unknown = new AtomicBoolean();
		var open = jdbc.sql("select tenant_id, id, connection_id from open_campaign_attempts(?)")
			.param(Timestamp.from(now.minus(settings.lostAfter())))
			.query((rs, row) -> new Object[] { TenantId.of(rs.getString(1)), rs.getObject(2, UUID.class),
					ProviderConnectionId.of(rs.getObject(3, UUID.class)) })
			.list();
		for (var attempt : open) {
			var tenant = (TenantId) attempt[0];
			try {
				context.runAs(tenant, () -> {
					var connection = (ProviderConnectionId) attempt[2];
					var presence = dialerFor(connection).map(dialer -> dialer.presence(connection, (UUID) attempt[1]))
						.orElse(BroadcastPresence.GONE);
					if (presence == BroadcastPresence.UNKNOWN) {
						unknown.set(true);
					}
					if (presence == BroadcastPresence.GONE) {
						log.info("Campaign attempt {}: the PBX has no such call; its end was never reported", attempt[1]);
						ended(tenant, (UUID) attempt[1], BroadcastOutcome.FAILED,
								"lost: the PBX has no such call (it ended unreported, or was never placed)", now);
					}
				});
			}
			catch (RuntimeException ex) {
				log.warn("Reconciling campaign attempt {} failed: {}", attempt[1], ex.toString());
			}
		}
		if (unknown.get()) {
			// The PBX could not be asked (not connected yet, after a start): ask again soon, not a whole interval later,
			// as the calls it lost meanwhile hold places of their campaigns' concurrency.
			nextReconciliation = min(nextReconciliation, now.plus(RECONCILE_RETRY));
		}
	}

	static final Duration RECONCILE_RETRY = Duration.ofSeconds(2);

	private static Instant min(Instant a, Instant b) {
		return a.isBefore(b) ? a : b;
	}

	/** Tops one campaign up to its concurrency; places the calls decided once their rows are committed. */
	void pace(CampaignId id) {
		var tenant = context.currentTenant();
		var backoff = backoffs.get(id);
		if (backoff != null && clock.instant().isBefore(backoff.until())) {
			return;
		}
		var decided = transactions.execute(status -> decide(id));
		if (decided == null || decided.calls().isEmpty()) {
			return;
		}
		var dialer = decided.dialer();
		// Placed four at a time: each is a request to the PBX, and a thousand one after the other take seconds. The
		// first refusal of a pass spends its attempt (the number may be what the PBX refuses); calls refused or not
		// yet placed after it are taken back, as if never decided.
		var refused = new AtomicReference<RuntimeException>();
		var placing = new ArrayList<CompletableFuture<Void>>();
		for (var call : decided.calls()) {
			placing.add(CompletableFuture.runAsync(() -> context.runAs(tenant, () -> {
				if (refused.get() != null) {
					withdraw(id, call);
					return;
				}
				try {
					dialer.place(call);
				}
				catch (RuntimeException ex) {
					if (refused.compareAndSet(null, ex)) {
						log.info("Campaign {}: attempt {} not placed: {}", id, call.attempt(), ex.getMessage());
						ended(tenant, call.attempt(), BroadcastOutcome.FAILED, "not placed: " + ex.getMessage(),
								clock.instant());
					}
					else {
						withdraw(id, call);
					}
				}
			}), placers));
		}
		CompletableFuture.allOf(placing.toArray(CompletableFuture[]::new)).join();
		var refusal = refused.get();
		if (refusal == null) {
			backoffs.remove(id);
			return;
		}
		var wait = backoff == null ? FIRST_BACKOFF : backoff.delay().multipliedBy(2);
		wait = wait.compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : wait;
		backoffs.put(id, new Backoff(clock.instant().plus(wait), wait));
		note(id, "The PBX refused calls at " + now() + " (" + refusal.getMessage() + "); placing again in "
				+ wait.toSeconds() + " s.");
	}

	/** A decided attempt that was not placed: its row goes, and its contact is as it was before. */
	private void withdraw(CampaignId id, BroadcastCall call) {
		transactions.executeWithoutResult(status -> {
			var contact = jdbc.sql("delete from campaign_attempts where id = ? and ended_at is null returning contact_id")
				.param(call.attempt())
				.query(UUID.class)
				.optional();
			contact.ifPresent(found -> jdbc.sql("update campaign_contacts set state = 'pending', attempts = attempts - 1 "
					+ "where campaign_id = ? and contact_id = ?").params(id.value(), found).update());
		});
	}

	/** The calls a pass decided to place, and the dialer that places them. */
	private record Decided(BroadcastDialer dialer, List<BroadcastCall> calls) {
	}

	/** The dialer of a connection's kind, if the connection still exists and its kind has one. */
	private Optional<BroadcastDialer> dialerFor(ProviderConnectionId id) {
		return connections.find(id)
			.flatMap(connection -> dialers.orderedStream().filter(found -> found.kind().equals(connection.kind())).findFirst());
	}

	private @Nullable Decided decide(CampaignId id) {
		var locked = jdbc.sql("select id from campaigns where id = ? for update skip locked").param(id.value())
			.query(UUID.class)
			.optional();
		if (locked.isEmpty()) {
			return null;
		}
		var campaign = campaigns.find(id).orElseThrow();
		var connection = campaign.connection();
		var dialer = dialerFor(connection).filter(found -> found.ready(connection)).orElse(null);
		if (dialer == null) {
			// Not connected here (or no longer a connection): the campaign waits rather than spend attempts.
			return null;
		}
		var now = now();
		if (campaign.state() == CampaignState.SCHEDULED) {
			log.info("Campaign {} starts as scheduled", id);
			campaign = states.start(id);
		}
		if (campaign.state() != CampaignState.RUNNING) {
			return null;
		}
		var inProgress = jdbc.sql("select count(*) from campaign_attempts where campaign_id = ? and ended_at is null")
			.param(id.value())
			.query(Integer.class)
			.single();
		var left = jdbc.sql("select count(*) from campaign_contacts where campaign_id = ? and state <> 'done'")
			.param(id.value())
			.query(Integer.class)
			.single();
		if (left == 0 && inProgress == 0) {
			states.complete(id);
			return null;
		}
		if (!campaign.window().isOpen(now)) {
			return null;
		}
		var free = campaign.concurrency() - inProgress;
		if (free <= 0) {
			return null;
		}
		var due = jdbc.sql("""
				select contact_id, number, attempts from campaign_contacts
				 where campaign_id = ? and state = 'pending' and (next_attempt_at is null or next_attempt_at <= ?)
				 order by position limit ? for update skip locked""")
			.params(id.value(), Timestamp.from(now), free)
			.query((rs, row) -> new Object[] { rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3) })
			.list();
		var calls = new ArrayList<BroadcastCall>();
		if (due.isEmpty()) {
			return new Decided(dialer, calls);
		}
		// One look at the do-not-call list, one insert and one update for the whole pass: a campaign at concurrency
		// 1,000 decides hundreds of calls at once.
		var listed = doNotCall.listed(due.stream().map(contact -> (String) contact[1]).toList());
		var skipped = new ArrayList<UUID>();
		var ids = new ArrayList<UUID>();
		var contacts = new ArrayList<UUID>();
		var numbers = new ArrayList<String>();
		var attemptNumbers = new ArrayList<Integer>();
		for (var contact : due) {
			var number = (String) contact[1];
			if (listed.contains(number)) {
				skipped.add((UUID) contact[0]);
				continue;
			}
			var attempt = UUID.randomUUID();
			ids.add(attempt);
			contacts.add((UUID) contact[0]);
			numbers.add(number);
			attemptNumbers.add((int) contact[2] + 1);
			calls.add(call(campaign, attempt, number));
		}
		if (!skipped.isEmpty()) {
			jdbc.sql("update campaign_contacts set state = 'done', last_outcome = 'do-not-call' "
					+ "where campaign_id = ? and contact_id = any (?::uuid[])")
				.params(id.value(), skipped.toArray(UUID[]::new))
				.update();
		}
		if (!ids.isEmpty()) {
			jdbc.sql("""
					insert into campaign_attempts (id, tenant_id, campaign_id, contact_id, number, attempt_no, placed_at)
					select a.id, ?, ?, a.contact, a.number, a.attempt_no, ?
					  from unnest(?::uuid[], ?::uuid[], ?::varchar[], ?::int[]) as a(id, contact, number, attempt_no)""")
				.params(context.currentTenant().value(), id.value(), Timestamp.from(now), ids.toArray(UUID[]::new),
						contacts.toArray(UUID[]::new), numbers.toArray(String[]::new), attemptNumbers.toArray(Integer[]::new))
				.update();
			jdbc.sql("update campaign_contacts set state = 'calling', attempts = attempts + 1 "
					+ "where campaign_id = ? and contact_id = any (?::uuid[])")
				.params(id.value(), contacts.toArray(UUID[]::new))
				.update();
		}
		return new Decided(dialer, calls);
	}

	/** What the PBX is asked to do for one attempt: the message, the menu's prompt, and how to listen for keys. */
	private BroadcastCall call(CampaignDetails campaign, UUID attempt, String number) {
		var ivr = campaign.ivr();
		var media = ivr == null || ivr.prompt() == null ? List.of("audio:" + campaign.message())
				: List.of("audio:" + campaign.message(), "audio:" + ivr.prompt());
		return new BroadcastCall(attempt, context.currentTenant(), campaign.connection(), number, campaign.callerId(),
				media, settings.ringSeconds(), ivr == null ? 0 : ivr.timeoutSeconds(),
				campaign.machines() == MachineHandling.LEAVE_MESSAGE);
	}

	@Override
	public Optional<BroadcastRecall> recall(TenantId tenant, UUID attempt) {
		return context.callAs(tenant, () -> jdbc.sql("select campaign_id, number, answered_at is not null "
				+ "from campaign_attempts where id = ? and ended_at is null")
			.param(attempt)
			.query((rs, row) -> new Object[] { CampaignId.of(rs.getObject(1, UUID.class)), rs.getString(2),
					rs.getBoolean(3) })
			.optional()
			.flatMap(row -> campaigns.find((CampaignId) row[0])
				.map(campaign -> new BroadcastRecall(call(campaign, attempt, (String) row[1]), (boolean) row[2]))));
	}

	@Override
	public void answered(TenantId tenant, UUID attempt, Instant at) {
		context.runAs(tenant, () -> jdbc.sql("update campaign_attempts set answered_at = coalesce(answered_at, ?) "
				+ "where id = ?").params(Timestamp.from(at), attempt).update());
	}

	@Override
	public void ended(TenantId tenant, UUID attempt, BroadcastOutcome outcome, @Nullable String cause, Instant at) {
		context.runAs(tenant, () -> transactions.executeWithoutResult(status -> end(attempt, outcome, cause, at)));
	}

	/**
	 * Keeps who answered on the attempt; a person (or unknown) reached gets the attempt's call record (direction
	 * campaign, on the contact), once.
	 */
	@Override
	public void classified(TenantId tenant, UUID attempt, AnsweredBy answeredBy) {
		context.runAs(tenant, () -> transactions.executeWithoutResult(status -> {
			var row = jdbc.sql("update campaign_attempts set answered_by = ? where id = ? "
					+ "returning campaign_id, contact_id, number, answered_at, call_id")
				.params(answeredBy.name().toLowerCase(Locale.ROOT), attempt)
				.query((rs, n) -> new Object[] { CampaignId.of(rs.getObject(1, UUID.class)),
						ContactId.of(rs.getObject(2, UUID.class)), rs.getString(3), rs.getTimestamp(4),
						rs.getObject(5, UUID.class) })
				.optional()
				.orElse(null);
			if (row == null || answeredBy == AnsweredBy.MACHINE || row[4] != null) {
				return;
			}
			var campaign = campaigns.find((CampaignId) row[0]).orElseThrow();
			var answeredAt = row[3] == null ? clock.instant() : ((Timestamp) row[3]).toInstant();
			var call = callRecords.campaignCallAnswered(new CampaignCall(campaign.connection(), (String) row[2],
					(ContactId) row[1], campaign.name(), answeredAt));
			jdbc.sql("update campaign_attempts set call_id = ? where id = ?").params(call.value(), attempt).update();
		}));
	}

	@Override
	public BroadcastReply silent(TenantId tenant, UUID attempt) {
		var reply = context.callAs(tenant, () -> transactions.execute(status -> timedOut(attempt)));
		return reply == null ? BroadcastReply.hangUp(List.of()) : reply;
	}

	/** Counts the silence as a try: the menu again (after the timeout prompt) while tries are left, else goodbye. */
	private BroadcastReply timedOut(UUID attempt) {
		var row = jdbc.sql("update campaign_attempts set timeouts = timeouts + 1 where id = ? and ended_at is null "
				+ "returning campaign_id, invalid_keys + timeouts")
			.param(attempt)
			.query((rs, n) -> new Object[] { rs.getObject(1, UUID.class), rs.getInt(2) })
			.optional()
			.orElse(null);
		if (row == null) {
			return BroadcastReply.hangUp(List.of());
		}
		var campaign = campaigns.find(CampaignId.of((UUID) row[0])).orElseThrow();
		var ivr = campaign.ivr();
		if (ivr == null || (int) row[1] >= ivr.maxInvalid()) {
			return BroadcastReply.hangUp(ivr == null ? List.of() : List.of(GOODBYE));
		}
		var media = new ArrayList<String>();
		if (ivr.timeoutPrompt() != null) {
			media.add("audio:" + ivr.timeoutPrompt());
		}
		media.add(menu(campaign, ivr));
		return BroadcastReply.prompt(media);
	}

	/** What plays as the menu: its prompt, or the message again when it has none. */
	private static String menu(CampaignDetails campaign, Ivr ivr) {
		return "audio:" + (ivr.prompt() == null ? campaign.message() : ivr.prompt());
	}

	@Override
	public BroadcastReply key(TenantId tenant, UUID attempt, String digit) {
		var reply = context.callAs(tenant, () -> transactions.execute(status -> pressed(attempt, digit)));
		return reply == null ? BroadcastReply.ignore() : reply;
	}

	/** Keeps the key on the attempt and answers what the campaign's menu says it does. */
	private BroadcastReply pressed(UUID attempt, String digit) {
		var row = jdbc.sql("select campaign_id, contact_id, number, call_id from campaign_attempts "
				+ "where id = ? and ended_at is null for update")
			.param(attempt)
			.query((rs, n) -> new Object[] { rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
					rs.getObject(4, UUID.class) })
			.optional()
			.orElse(null);
		if (row == null) {
			return BroadcastReply.ignore();
		}
		jdbc.sql("update campaign_attempts set keys = left(keys || ?, 50) where id = ?").params(digit, attempt).update();
		var campaign = campaigns.find(CampaignId.of((UUID) row[0])).orElseThrow();
		var ivr = campaign.ivr();
		if (ivr == null) {
			return BroadcastReply.ignore();
		}
		var option = ivr.options().get(digit);
		if (option == null) {
			var tries = jdbc.sql("update campaign_attempts set invalid_keys = invalid_keys + 1 where id = ? "
					+ "returning invalid_keys + timeouts")
				.param(attempt)
				.query(Integer.class)
				.single();
			if (tries >= ivr.maxInvalid()) {
				return BroadcastReply.hangUp(List.of(GOODBYE));
			}
			return BroadcastReply.prompt(List.of(ivr.invalidPrompt() == null ? INVALID : "audio:" + ivr.invalidPrompt(),
					menu(campaign, ivr)));
		}
		return switch (option.action()) {
			case TRANSFER_TO_QUEUE, TRANSFER_TO_USER -> {
				var call = (UUID) row[3];
				if (call == null) {
					// Judged a machine (machines do not press keys, but a key decides): nobody to hand over.
					yield BroadcastReply.hangUp(List.of(GOODBYE));
				}
				yield BroadcastReply.handOver(new BroadcastReply.Handover(CallId.of(call), option.queue(),
						option.user()));
			}
			case REPEAT -> BroadcastReply.replay();
			case HANG_UP -> BroadcastReply.hangUp(List.of());
			case OPT_OUT -> {
				doNotCall.add((String) row[2], DoNotCallSource.OPT_OUT, "opted out in campaign \"" + campaign.name() + "\"");
				jdbc.sql("update campaign_contacts set last_outcome = 'opted-out' where campaign_id = ? and contact_id = ?")
					.params(row[0], row[1])
					.update();
				yield BroadcastReply.hangUp(List.of(option.audio() == null ? GOODBYE : "audio:" + option.audio()));
			}
		};
	}

	/** Ends the attempt once, and decides its contact's next attempt by the campaign's rule for the outcome. */
	private void end(UUID attempt, BroadcastOutcome outcome, @Nullable String cause, Instant at) {
		var row = jdbc.sql("select campaign_id, contact_id, ended_at, answered_at, call_id from campaign_attempts "
				+ "where id = ? for update")
			.param(attempt)
			.query((rs, n) -> new Object[] { rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
					rs.getTimestamp(3), rs.getTimestamp(4), rs.getObject(5, UUID.class) })
			.optional()
			.orElse(null);
		if (row == null || row[2] != null) {
			return;
		}
		if (row[3] != null && outcome != BroadcastOutcome.MACHINE && outcome != BroadcastOutcome.VOICEMAIL) {
			// It was answered (perhaps before a restart that forgot it): whatever ended it, a person was reached.
			outcome = BroadcastOutcome.ANSWERED;
		}
		var value = value(outcome);
		if (row[4] != null) {
			callRecords.campaignCallEnded(CallId.of((UUID) row[4]), at, cause);
		}
		jdbc.sql("update campaign_attempts set ended_at = ?, outcome = ?, cause = ? where id = ?")
			.params(Timestamp.from(at), value, cause == null ? null : cause.length() > 100 ? cause.substring(0, 100) : cause,
					attempt)
			.update();
		var campaign = campaigns.find(CampaignId.of((UUID) row[0])).orElseThrow();
		var attempts = jdbc.sql("select attempts from campaign_contacts where campaign_id = ? and contact_id = ? for update")
			.params(row[0], row[1])
			.query(Integer.class)
			.single();
		var rule = rule(campaign, outcome);
		if (rule == null || attempts >= rule.maxAttempts()) {
			// An opt-out during the call is what the contact's line says, not "answered".
			jdbc.sql("update campaign_contacts set state = 'done', last_outcome = case when last_outcome = 'opted-out' "
					+ "then last_outcome else ? end where campaign_id = ? and contact_id = ?")
				.params(value, row[0], row[1])
				.update();
		}
		else {
			jdbc.sql("update campaign_contacts set state = 'pending', last_outcome = ?, next_attempt_at = ? "
					+ "where campaign_id = ? and contact_id = ?")
				.params(value, Timestamp.from(at.plus(Duration.ofMinutes(rule.delayMinutes()))), row[0], row[1])
				.update();
		}
	}

	private static @Nullable RetryRule rule(CampaignDetails campaign, BroadcastOutcome outcome) {
		return switch (outcome) {
			case ANSWERED, VOICEMAIL -> null;
			case MACHINE -> campaign.retries().machine();
			case BUSY -> campaign.retries().busy();
			case NO_ANSWER -> campaign.retries().noAnswer();
			case FAILED -> campaign.retries().failed();
		};
	}

	static String value(BroadcastOutcome outcome) {
		return switch (outcome) {
			case ANSWERED -> "answered";
			case MACHINE -> "machine";
			case VOICEMAIL -> "voicemail";
			case BUSY -> "busy";
			case NO_ANSWER -> "no-answer";
			case FAILED -> "failed";
		};
	}

	private void note(CampaignId id, String note) {
		jdbc.sql("update campaigns set dialer_note = ? where id = ?")
			.params(note.length() > 300 ? note.substring(0, 300) : note, id.value())
			.update();
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}
}
