package io.voxdesk.campaigns.internal;

import java.io.IOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.voxdesk.audio.AudioId;
import io.voxdesk.audio.AudioManagement;
import io.voxdesk.calls.ProviderConnectionDetails;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderConnectionManagement;
import io.voxdesk.campaigns.CallingWindow;
import io.voxdesk.campaigns.CampaignDetails;
import io.voxdesk.campaigns.CampaignDraft;
import io.voxdesk.campaigns.CampaignId;
import io.voxdesk.campaigns.CampaignManagement;
import io.voxdesk.campaigns.CampaignNotFoundException;
import io.voxdesk.campaigns.CampaignRefusedException;
import io.voxdesk.campaigns.CampaignReport;
import io.voxdesk.campaigns.CampaignState;
import io.voxdesk.campaigns.CampaignStateChanged;
import io.voxdesk.campaigns.Ivr;
import io.voxdesk.campaigns.IvrAction;
import io.voxdesk.campaigns.MachineHandling;
import io.voxdesk.campaigns.Retries;
import io.voxdesk.campaigns.RetryRule;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.contacts.ContactSelection;
import io.voxdesk.tenants.MemberDirectory;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tickets.QueueManagement;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@link CampaignManagement} of this module: rows of {@code campaigns}, checked against the tenant's connections,
 * audio and contacts; each change of state locks the campaign's row, so two admins pausing and cancelling at once
 * end in one state that both answers agree on.
 */
@Service
class DefaultCampaignManagement implements CampaignManagement {

	/** The most calls a campaign runs at once, whatever the connection allows. */
	static final int MAX_CONCURRENCY = 1000;

	/** The Asterisk connection setting that caps simultaneous channels ({@code channelLimit}). */
	static final String CHANNEL_LIMIT = "channelLimit";

	private static final Pattern CALLER_ID = Pattern.compile("\\+?[0-9]{2,20}");

	private static final int CONTACTS_PAGE = 1000;

	private final JdbcClient jdbc;

	/** Reads exports a thousand rows at a time (PostgreSQL otherwise sends a whole result before the first row). */
	private final JdbcClient streaming;

	private final ProviderConnectionManagement connections;

	private final AudioManagement audio;

	private final ContactManagement contacts;

	private final TenantContext context;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final QueueManagement queues;

	private final MemberDirectory members;

	DefaultCampaignManagement(JdbcClient jdbc, DataSource dataSource, ProviderConnectionManagement connections,
			AudioManagement audio, ContactManagement contacts, TenantContext context, ApplicationEventPublisher events,
			QueueManagement queues, MemberDirectory members, Optional<Clock> clock) {
		this.queues = queues;
		this.members = members;
		this.jdbc = jdbc;
		var template = new JdbcTemplate(dataSource);
		template.setFetchSize(1000);
		this.streaming = JdbcClient.create(template);
		this.connections = connections;
		this.audio = audio;
		this.contacts = contacts;
		this.context = context;
		this.events = events;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	@Override
	@Transactional(readOnly = true)
	public List<CampaignDetails> list() {
		return jdbc.sql("select * from campaigns order by created_at desc, id").query(DefaultCampaignManagement::row).list();
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<CampaignDetails> find(CampaignId id) {
		return jdbc.sql("select * from campaigns where id = ?").param(id.value()).query(DefaultCampaignManagement::row)
			.optional();
	}

	@Override
	@Transactional
	public CampaignDetails create(CampaignDraft draft) {
		checked(draft);
		if (contacts.count(draft.contacts()) == 0) {
			throw noContacts();
		}
		var id = CampaignId.of(UUID.randomUUID());
		var now = now();
		jdbc.sql("""
				insert into campaigns (id, tenant_id, name, connection_id, message_audio_id, caller_id, tags, query,
				  concurrency, window_days, window_from, window_until, time_zone, busy_attempts, busy_delay,
				  no_answer_attempts, no_answer_delay, failed_attempts, failed_delay, machine_attempts, machine_delay,
				  machines, ivr, state, created_by, created_at, updated_at)
				values (:id, :tenant, :name, :connection, :message, :callerId, :tags, :query, :concurrency, :days, :from,
				  :until, :zone, :busyAttempts, :busyDelay, :noAnswerAttempts, :noAnswerDelay, :failedAttempts,
				  :failedDelay, :machineAttempts, :machineDelay, :machines, :ivr, 'draft', :by, :now, :now)""")
			.paramSource(new DraftParameters(draft).values()
				.addValue("id", id.value())
				.addValue("tenant", context.currentTenant().value())
				.addValue("by", context.actor().username())
				.addValue("now", Timestamp.from(now)))
			.update();
		return find(id).orElseThrow();
	}

	@Override
	@Transactional
	public CampaignDetails update(CampaignId id, CampaignDraft draft) {
		var current = locked(id);
		switch (current.state()) {
			case DRAFT, SCHEDULED -> {
				checked(draft);
				if (contacts.count(draft.contacts()) == 0) {
					throw noContacts();
				}
			}
			case RUNNING, PAUSED -> {
				var fixed = fixedFieldsChanged(current, draft);
				if (!fixed.isEmpty()) {
					throw CampaignRefusedException.conflict("Campaign running", "A " + current.state().value()
							+ " campaign can only change its concurrency and calling window; its " + String.join(", ", fixed)
							+ " stay what it was started with. Cancel it and create a new campaign to change them.");
				}
				concurrency(draft.concurrency(), connection(draft.connection()));
				window(draft.window());
			}
			case COMPLETED, CANCELLED -> throw CampaignRefusedException.conflict("Campaign ended", "The campaign is "
					+ current.state().value() + "; an ended campaign does not change. Create a new one.");
		}
		jdbc.sql("""
				update campaigns set name = :name, connection_id = :connection, message_audio_id = :message,
				  caller_id = :callerId, tags = :tags, query = :query, concurrency = :concurrency, window_days = :days,
				  window_from = :from, window_until = :until, time_zone = :zone, busy_attempts = :busyAttempts,
				  busy_delay = :busyDelay, no_answer_attempts = :noAnswerAttempts, no_answer_delay = :noAnswerDelay,
				  failed_attempts = :failedAttempts, failed_delay = :failedDelay, machine_attempts = :machineAttempts,
				  machine_delay = :machineDelay, machines = :machines, ivr = :ivr, updated_at = :now
				where id = :id""")
			.paramSource(new DraftParameters(draft).values()
				.addValue("id", id.value())
				.addValue("now", Timestamp.from(now())))
			.update();
		return find(id).orElseThrow();
	}

	@Override
	@Transactional
	public void delete(CampaignId id) {
		var current = locked(id);
		if (current.state() != CampaignState.DRAFT) {
			throw CampaignRefusedException.conflict("Campaign not a draft", "Only a draft can be deleted; this campaign "
					+ "is " + current.state().value() + ". Cancel it instead: its attempts stay in the reports.");
		}
		jdbc.sql("delete from campaigns where id = ?").param(id.value()).update();
	}

	@Override
	@Transactional
	public CampaignDetails start(CampaignId id) {
		var current = locked(id);
		allowed(current, "start", CampaignState.DRAFT, CampaignState.SCHEDULED);
		var connection = connection(current.connection());
		if (!connection.enabled()) {
			throw CampaignRefusedException.unprocessable("Connection disabled", "The campaign's connection \""
					+ connection.name() + "\" is disabled; enable it, or choose another, and start again.");
		}
		var total = fixContacts(current);
		if (total == 0) {
			throw noContacts();
		}
		jdbc.sql("update campaigns set started_at = :now, total_contacts = :total where id = :id")
			.param("now", Timestamp.from(now()))
			.param("total", total)
			.param("id", id.value())
			.update();
		return moved(current, CampaignState.RUNNING);
	}

	@Override
	@Transactional
	public CampaignDetails schedule(CampaignId id, Instant at) {
		var current = locked(id);
		allowed(current, "schedule", CampaignState.DRAFT, CampaignState.SCHEDULED);
		var now = now();
		if (!at.isAfter(now) || at.isAfter(now.plus(Duration.ofDays(366)))) {
			throw CampaignRefusedException.invalid("at", "A campaign is scheduled for a moment in the coming year; "
					+ at + " is not.");
		}
		jdbc.sql("update campaigns set scheduled_at = ? where id = ?").params(Timestamp.from(at), id.value()).update();
		return moved(current, CampaignState.SCHEDULED);
	}

	@Override
	@Transactional
	public CampaignDetails pause(CampaignId id) {
		var current = locked(id);
		allowed(current, "pause", CampaignState.RUNNING);
		return moved(current, CampaignState.PAUSED);
	}

	@Override
	@Transactional
	public CampaignDetails resume(CampaignId id) {
		var current = locked(id);
		allowed(current, "resume", CampaignState.PAUSED);
		return moved(current, CampaignState.RUNNING);
	}

	@Override
	@Transactional
	public CampaignDetails cancel(CampaignId id) {
		var current = locked(id);
		allowed(current, "cancel", CampaignState.DRAFT, CampaignState.SCHEDULED, CampaignState.RUNNING,
				CampaignState.PAUSED);
		jdbc.sql("update campaigns set finished_at = ? where id = ?").params(Timestamp.from(now()), id.value()).update();
		return moved(current, CampaignState.CANCELLED);
	}

	@Override
	@Transactional(readOnly = true)
	public CampaignReport report(CampaignId id) {
		var campaign = find(id).orElseThrow(() -> new CampaignNotFoundException(id));
		var byOutcome = new LinkedHashMap<String, Integer>();
		for (var outcome : List.of("answered", "machine", "voicemail", "opted-out", "busy", "no-answer", "failed",
				"do-not-call", "pending", "calling")) {
			byOutcome.put(outcome, 0);
		}
		jdbc.sql("select coalesce(case when state = 'done' then last_outcome else state end, 'pending'), count(*) "
				+ "from campaign_contacts where campaign_id = ? group by 1")
			.param(id.value())
			.query((rs, row) -> byOutcome.merge(rs.getString(1), rs.getInt(2), Integer::sum))
			.list();
		var contacts = byOutcome.values().stream().mapToInt(Integer::intValue).sum();
		var percent = new LinkedHashMap<String, Double>();
		byOutcome.forEach((outcome, count) -> percent.put(outcome,
				contacts == 0 ? 0.0 : Math.round(count * 1000.0 / contacts) / 10.0));
		var totals = jdbc.sql("""
				select count(*), count(*) filter (where ended_at is null),
				       coalesce(sum(extract(epoch from ended_at - answered_at)) filter (where answered_at is not null
				         and ended_at is not null), 0),
				       count(*) filter (where answered_at is not null and ended_at is not null),
				       count(distinct contact_id), count(*) filter (where placed_at > ?)
				  from campaign_attempts where campaign_id = ?""")
			.params(Timestamp.from(now().minus(Duration.ofMinutes(1))), id.value())
			.query((rs, row) -> new long[] { rs.getLong(1), rs.getLong(2), Math.round(rs.getDouble(3)), rs.getLong(4),
					rs.getLong(5), rs.getLong(6) })
			.single();
		var hours = jdbc.sql("""
				select date_trunc('hour', placed_at at time zone 'UTC'), count(*), count(answered_at)
				  from campaign_attempts where campaign_id = ? group by 1 order by 1""")
			.param(id.value())
			.query((rs, row) -> new CampaignReport.Hour(
					rs.getTimestamp(1).toLocalDateTime().toInstant(ZoneOffset.UTC), rs.getInt(2), rs.getInt(3)))
			.list();
		var byKey = new LinkedHashMap<String, Integer>();
		jdbc.sql("select k, count(distinct a.id) from campaign_attempts a, unnest(string_to_array(a.keys, null)) k "
				+ "where a.campaign_id = ? and a.keys <> '' group by k order by k")
			.param(id.value())
			.query((rs, row) -> byKey.put(rs.getString(1), rs.getInt(2)))
			.list();
		return new CampaignReport(id, campaign.name(), campaign.state(), contacts, byOutcome, percent, (int) totals[0],
				totals[4] == 0 ? 0.0 : Math.round(totals[0] * 100.0 / totals[4]) / 100.0, (int) totals[1],
				(int) totals[5], totals[2],
				totals[3] == 0 ? 0.0 : Math.round(totals[2] * 10.0 / totals[3]) / 10.0, hours, byKey);
	}

	@Override
	@Transactional(readOnly = true)
	public void exportAttempts(CampaignId id, Writer out) throws IOException {
		find(id).orElseThrow(() -> new CampaignNotFoundException(id));
		out.write("placed_at,number,contact_id,attempt,outcome,cause,answered_by,keys,answered_at,ended_at,"
				+ "talk_seconds\n");
		try (var rows = streaming.sql("""
				select placed_at, number, contact_id, attempt_no, outcome, cause, answered_by, keys, answered_at, ended_at
				  from campaign_attempts where campaign_id = ? order by placed_at, id""")
			.param(id.value())
			.query((rs, row) -> {
				var answered = instant(rs, "answered_at");
				var ended = instant(rs, "ended_at");
				return String.join(",", String.valueOf(instant(rs, "placed_at")), Csv.cell(rs.getString("number")),
						String.valueOf(rs.getObject("contact_id")), String.valueOf(rs.getInt("attempt_no")),
						Csv.cell(rs.getString("outcome")), Csv.cell(rs.getString("cause")),
						Csv.cell(rs.getString("answered_by")), Csv.cell(rs.getString("keys")),
						answered == null ? "" : answered.toString(), ended == null ? "" : ended.toString(),
						answered == null || ended == null ? ""
								: String.valueOf(Duration.between(answered, ended).toSeconds()))
						+ "\n";
			})
			.stream()) {
			for (var line : (Iterable<String>) rows::iterator) {
				out.write(line);
			}
		}
		out.flush();
	}

	/** Ends a running campaign whose every contact is done: the dialer found nothing left to call. */
	void complete(CampaignId id) {
		var current = locked(id);
		if (current.state() != CampaignState.RUNNING) {
			return;
		}
		jdbc.sql("update campaigns set finished_at = ? where id = ?").params(Timestamp.from(now()), id.value()).update();
		moved(current, CampaignState.COMPLETED);
	}

	/** The non-final campaigns that play this audio, named the way an admin finds them. */
	List<String> playing(AudioId item) {
		return jdbc.sql("select name from campaigns where (message_audio_id = ? or position(? in coalesce(ivr, '')) > 0)"
				+ " and state not in ('completed', 'cancelled') order by name")
			.params(item.value(), item.value().toString())
			.query((rs, row) -> "campaign \"" + rs.getString(1) + "\"")
			.list();
	}

	private CampaignDetails moved(CampaignDetails current, CampaignState to) {
		jdbc.sql("update campaigns set state = ?, updated_at = ? where id = ?")
			.params(to.value(), Timestamp.from(now()), current.id().value())
			.update();
		events.publishEvent(new CampaignStateChanged(context.currentTenant(), current.id(), current.name(),
				current.state(), to, context.actor(), clock.instant()));
		return find(current.id()).orElseThrow();
	}

	/** Writes the selection's contacts into {@code campaign_contacts}, page by page; how many there are. */
	private int fixContacts(CampaignDetails campaign) {
		jdbc.sql("delete from campaign_contacts where campaign_id = ?").param(campaign.id().value()).update();
		var position = 0;
		ContactId after = null;
		while (true) {
			var page = contacts.targets(campaign.contacts(), after, CONTACTS_PAGE);
			if (page.isEmpty()) {
				return position;
			}
			var rows = new ArrayList<Object[]>();
			for (var target : page) {
				rows.add(new Object[] { context.currentTenant().value(), campaign.id().value(), target.contact().value(),
						target.number(), position++ });
			}
			jdbc.sql("insert into campaign_contacts (tenant_id, campaign_id, contact_id, number, position) "
					+ "select * from unnest(cast(? as text[]), cast(? as uuid[]), cast(? as uuid[]), cast(? as text[]), "
					+ "cast(? as int[]))")
				.params(column(rows, 0, String[]::new), column(rows, 1, UUID[]::new), column(rows, 2, UUID[]::new),
						column(rows, 3, String[]::new), column(rows, 4, Integer[]::new))
				.update();
			after = page.getLast().contact();
		}
	}

	@SuppressWarnings("unchecked")
	private static <T> T[] column(List<Object[]> rows, int index, IntFunction<T[]> array) {
		return rows.stream().map(row -> (T) row[index]).toArray(array);
	}

	private CampaignDetails locked(CampaignId id) {
		return jdbc.sql("select * from campaigns where id = ? for update").param(id.value())
			.query(DefaultCampaignManagement::row)
			.optional()
			.orElseThrow(() -> new CampaignNotFoundException(id));
	}

	private static void allowed(CampaignDetails current, String action, CampaignState... from) {
		if (!Arrays.asList(from).contains(current.state())) {
			throw CampaignRefusedException.conflict("Not possible now", "A " + current.state().value() + " campaign "
					+ "cannot " + action + "; only a " + Arrays.stream(from).map(CampaignState::value)
						.collect(Collectors.joining(" or ")) + " one can.");
		}
	}

	/** Every value of the draft in range and naming something of this tenant. */
	private void checked(CampaignDraft draft) {
		var name = draft.name() == null ? "" : draft.name().strip();
		if (name.isEmpty() || name.length() > 120) {
			throw CampaignRefusedException.invalid("name", "name is 1 to 120 characters.");
		}
		var connection = connection(draft.connection());
		if (!connection.kind().code().equals("asterisk")) {
			throw CampaignRefusedException.unprocessable("Connection cannot run campaigns", "Campaigns need an Asterisk "
					+ "connection: " + connection.kind() + "'s API has no broadcast dialer, so \"" + connection.name()
					+ "\" cannot place a campaign's calls.");
		}
		if (audio.find(draft.message()).isEmpty()) {
			throw CampaignRefusedException.invalid("messageAudioId", "There is no audio " + draft.message()
					+ " in your organization's library (GET /api/audio).");
		}
		if (draft.callerId() == null || !CALLER_ID.matcher(draft.callerId()).matches()) {
			throw CampaignRefusedException.invalid("callerId", "callerId is the number people see: 2 to 20 digits, "
					+ "optionally after '+'.");
		}
		concurrency(draft.concurrency(), connection);
		window(draft.window());
		retries(draft.retries());
		var tags = draft.contacts().tags();
		if (tags.size() > 20 || tags.stream().anyMatch(tag -> tag.isBlank() || tag.length() > 50)) {
			throw CampaignRefusedException.invalid("contacts.tags", "contacts.tags is at most 20 tags of 1 to 50 "
					+ "characters.");
		}
		ivr(draft.ivr());
		if (draft.contacts().query().length() > 200) {
			throw CampaignRefusedException.invalid("contacts.query", "contacts.query is at most 200 characters.");
		}
	}

	private ProviderConnectionDetails connection(ProviderConnectionId id) {
		return connections.find(id).orElseThrow(() -> CampaignRefusedException.invalid("connectionId",
				"There is no provider connection " + id + " in your organization."));
	}

	private static void concurrency(int concurrency, ProviderConnectionDetails connection) {
		if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
			throw CampaignRefusedException.invalid("concurrency", "concurrency is how many calls run at once, from 1 to "
					+ MAX_CONCURRENCY + "; it was " + concurrency + ".");
		}
		var limit = connection.settings().get(CHANNEL_LIMIT);
		if (limit != null && limit.matches("[0-9]{1,9}") && concurrency > Integer.parseInt(limit)) {
			throw CampaignRefusedException.invalid("concurrency", "The connection \"" + connection.name()
					+ "\" allows " + limit + " simultaneous calls (its channel limit); concurrency " + concurrency
					+ " is more. Lower it, or raise the connection's channel limit if the PBX and trunk take more.");
		}
	}

	private static void window(CallingWindow window) {
		if (window.days().isEmpty()) {
			throw CampaignRefusedException.invalid("window.days", "window.days names at least one day.");
		}
		if (!window.until().isAfter(window.from())) {
			throw CampaignRefusedException.invalid("window.until", "window.until must be after window.from on the same "
					+ "day (" + window.from() + " to " + window.until() + " is not); a window past midnight is two "
					+ "campaigns.");
		}
	}

	private void ivr(@Nullable Ivr ivr) {
		if (ivr == null) {
			return;
		}
		if (ivr.timeoutSeconds() < 1 || ivr.timeoutSeconds() > 30) {
			throw CampaignRefusedException.invalid("ivr.timeoutSeconds", "ivr.timeoutSeconds is how long a key is "
					+ "waited for after the menu, 1 to 30 seconds.");
		}
		if (ivr.maxInvalid() < 1 || ivr.maxInvalid() > 5) {
			throw CampaignRefusedException.invalid("ivr.maxInvalid", "ivr.maxInvalid is how many tries (keys outside "
					+ "the menu, or silences) a person gets before the call says goodbye, 1 to 5.");
		}
		if (ivr.options().isEmpty()) {
			throw CampaignRefusedException.invalid("ivr.options", "An IVR has at least one option.");
		}
		for (var entry : ivr.options().entrySet()) {
			if (!entry.getKey().matches("[0-9*#]")) {
				throw CampaignRefusedException.invalid("ivr.options", "'" + entry.getKey() + "' is not a key; keys are "
						+ "0-9, * and #.");
			}
			var option = entry.getValue();
			var field = "ivr.options." + entry.getKey();
			if (option.action() == IvrAction.TRANSFER_TO_QUEUE
					&& (option.queue() == null || queues.find(option.queue()).isEmpty())) {
				throw CampaignRefusedException.invalid(field + ".queueId", "Option " + entry.getKey()
						+ " transfers to a queue: give the queueId of one of your organization's queues (/api/queues).");
			}
			if (option.action() == IvrAction.TRANSFER_TO_USER
					&& (option.user() == null || members.find(option.user()).isEmpty())) {
				throw CampaignRefusedException.invalid(field + ".userId", "Option " + entry.getKey()
						+ " transfers to a user: give the userId of one of your organization's users "
						+ "(/api/tenants/me/members).");
			}
			var audioOfOption = option.audio();
			if (audioOfOption != null && audio.find(audioOfOption).isEmpty()) {
				throw CampaignRefusedException.invalid("ivr.options", "There is no audio " + audioOfOption
						+ " in your organization's library (option " + entry.getKey() + ").");
			}
		}
		var prompts = new LinkedHashMap<String, @Nullable AudioId>();
		prompts.put("ivr.promptAudioId", ivr.prompt());
		prompts.put("ivr.invalidAudioId", ivr.invalidPrompt());
		prompts.put("ivr.timeoutAudioId", ivr.timeoutPrompt());
		prompts.forEach((field, prompt) -> {
			if (prompt != null && audio.find(prompt).isEmpty()) {
				throw CampaignRefusedException.invalid(field, "There is no audio " + prompt
						+ " in your organization's library.");
			}
		});
	}

	private static void retries(Retries retries) {
		for (var rule : List.of(retries.busy(), retries.noAnswer(), retries.failed(), retries.machine())) {
			if (rule.maxAttempts() < 1 || rule.maxAttempts() > 10 || rule.delayMinutes() < 1 || rule.delayMinutes() > 1440) {
				throw CampaignRefusedException.invalid("retries", "Each retry rule has 1 to 10 attempts (1: no retry) "
						+ "and a delay of 1 to 1440 minutes.");
			}
		}
	}

	private static List<String> fixedFieldsChanged(CampaignDetails current, CampaignDraft draft) {
		var changed = new ArrayList<String>();
		if (!current.message().equals(draft.message())) {
			changed.add("audio");
		}
		if (!current.contacts().equals(draft.contacts())) {
			changed.add("contacts");
		}
		if (!current.connection().equals(draft.connection())) {
			changed.add("connection");
		}
		if (!current.callerId().equals(draft.callerId())) {
			changed.add("caller ID");
		}
		if (!Objects.equals(current.ivr(), draft.ivr())) {
			changed.add("IVR");
		}
		if (!current.retries().equals(draft.retries()) || current.machines() != draft.machines()) {
			changed.add("retry and machine rules");
		}
		if (!current.name().equals(draft.name() == null ? "" : draft.name().strip())) {
			changed.add("name");
		}
		return changed;
	}

	private static CampaignRefusedException noContacts() {
		return CampaignRefusedException.unprocessable("No contacts", "No contact with a phone number matches the "
				+ "campaign's tags and search; choose other tags, or import the contacts first (POST /api/contacts/imports).");
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private static CampaignDetails row(ResultSet rs, int row) throws SQLException {
		var tags = rs.getArray("tags");
		var days = Arrays.stream(rs.getString("window_days").split(","))
			.filter(day -> !day.isBlank())
			.map(DefaultCampaignManagement::day)
			.collect(Collectors.toCollection(() -> EnumSet.noneOf(DayOfWeek.class)));
		return new CampaignDetails(CampaignId.of(rs.getObject("id", UUID.class)), rs.getString("name"),
				ProviderConnectionId.of(rs.getObject("connection_id", UUID.class)),
				AudioId.of(rs.getObject("message_audio_id", UUID.class)), rs.getString("caller_id"),
				new ContactSelection(tags == null ? List.of() : List.of((String[]) tags.getArray()), rs.getString("query")),
				rs.getInt("concurrency"),
				new CallingWindow(days, rs.getObject("window_from", LocalTime.class),
						rs.getObject("window_until", LocalTime.class), ZoneId.of(rs.getString("time_zone"))),
				new Retries(new RetryRule(rs.getInt("busy_attempts"), rs.getInt("busy_delay")),
						new RetryRule(rs.getInt("no_answer_attempts"), rs.getInt("no_answer_delay")),
						new RetryRule(rs.getInt("failed_attempts"), rs.getInt("failed_delay")),
						new RetryRule(rs.getInt("machine_attempts"), rs.getInt("machine_delay"))),
				MachineHandling.of(rs.getString("machines")), IvrJson.read(rs.getString("ivr")),
				CampaignState.of(rs.getString("state")),
				instant(rs, "scheduled_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
				rs.getInt("total_contacts"), rs.getString("dialer_note"), rs.getString("created_by"), Objects.requireNonNull(instant(rs, "created_at")),
				Objects.requireNonNull(instant(rs, "updated_at")));
	}

	/** The day a stored three-letter name ({@code mon}) denotes. */
	private static DayOfWeek day(String stored) {
		return Arrays.stream(DayOfWeek.values())
			.filter(day -> day.name().startsWith(stored.strip().toUpperCase(Locale.ROOT)))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("not a stored day: " + stored));
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		var value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}
}
