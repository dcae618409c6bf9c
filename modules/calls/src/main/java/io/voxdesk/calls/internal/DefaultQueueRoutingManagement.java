package io.voxdesk.calls.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.voxdesk.audio.AudioId;
import io.voxdesk.audio.AudioManagement;
import io.voxdesk.calls.QueueOverflow;
import io.voxdesk.calls.QueueRouting;
import io.voxdesk.calls.QueueRoutingChanged;
import io.voxdesk.calls.QueueRoutingDraft;
import io.voxdesk.calls.QueueRoutingManagement;
import io.voxdesk.calls.RoutingStrategy;
import io.voxdesk.tenants.MemberDirectory;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueDetails;
import io.voxdesk.tickets.QueueId;
import io.voxdesk.tickets.QueueManagement;
import io.voxdesk.tickets.QueueNotFoundException;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;

/** The {@link QueueRoutingManagement} of this module: rows of {@code queue_routing}, checked against the tenant. */
@Service
class DefaultQueueRoutingManagement implements QueueRoutingManagement {

	/** A name of the PBX's sounds or music classes: no paths up, no schemes, nothing to inject into a dial string. */
	private static final Pattern SOUND = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_/-]{0,79}");

	/** An item of the tenant's audio library, played from Voxdesk instead of a sound of the PBX. */
	private static final Pattern LIBRARY_AUDIO = Pattern.compile("audio:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

	private static final Pattern MUSIC_CLASS = Pattern.compile("[A-Za-z0-9_-]{1,80}");

	private final JdbcClient jdbc;

	private final QueueManagement queues;

	private final MemberDirectory members;

	private final TenantContext context;

	private final ApplicationEventPublisher events;

	private final AudioManagement audio;

	private final Clock clock;

	DefaultQueueRoutingManagement(JdbcClient jdbc, QueueManagement queues, MemberDirectory members,
			TenantContext context, ApplicationEventPublisher events, AudioManagement audio, Optional<Clock> clock) {
		this.audio = audio;
		this.jdbc = jdbc;
		this.queues = queues;
		this.members = members;
		this.context = context;
		this.events = events;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	@Override
	@Transactional(readOnly = true)
	public QueueRouting find(QueueId queue) {
		existing(queue);
		return stored(queue).orElseGet(() -> QueueRouting.defaults(queue));
	}

	@Override
	@Transactional
	public QueueRouting save(QueueId queue, QueueRoutingDraft draft) {
		existing(queue);
		var overflow = checked(queue, draft);
		jdbc.sql("""
				insert into queue_routing (queue_id, tenant_id, strategy, ring_seconds, max_wait_seconds, wrap_up_seconds,
				  music_class, greeting, overflow_target, overflow_queue, overflow_user, overflow_message, updated_at)
				values (:queue, :tenant, :strategy, :ring, :wait, :wrapUp, :music, :greeting, :target, :overflowQueue,
				  :overflowUser, :message, :now)
				on conflict (queue_id) do update set strategy = excluded.strategy, ring_seconds = excluded.ring_seconds,
				  max_wait_seconds = excluded.max_wait_seconds, wrap_up_seconds = excluded.wrap_up_seconds,
				  music_class = excluded.music_class, greeting = excluded.greeting,
				  overflow_target = excluded.overflow_target, overflow_queue = excluded.overflow_queue,
				  overflow_user = excluded.overflow_user, overflow_message = excluded.overflow_message,
				  updated_at = excluded.updated_at""")
			.param("queue", queue.value())
			.param("tenant", context.currentTenant().value())
			.param("strategy", draft.strategy().code())
			.param("ring", draft.ringSeconds())
			.param("wait", draft.maxWaitSeconds())
			.param("wrapUp", draft.wrapUpSeconds())
			.param("music", draft.musicClass())
			.param("greeting", draft.greeting())
			.param("target", overflow.target().code())
			.param("overflowQueue", overflow.queue() == null ? null : overflow.queue().value())
			.param("overflowUser", overflow.user() == null ? null : overflow.user().value())
			.param("message", overflow.message())
			.param("now", Timestamp.from(clock.instant()))
			.update();
		var saved = stored(queue).orElseThrow();
		events.publishEvent(new QueueRoutingChanged(context.currentTenant(), queue, summary(saved), context.actor(),
				clock.instant()));
		return saved;
	}

	private void existing(QueueId queue) {
		if (queues.find(queue).isEmpty()) {
			throw new QueueNotFoundException("There is no queue " + queue + " in your organization.");
		}
	}

	private Optional<QueueRouting> stored(QueueId queue) {
		return jdbc.sql("select * from queue_routing where queue_id = :queue")
			.param("queue", queue.value())
			.query(DefaultQueueRoutingManagement::routing)
			.optional();
	}

	/** The overflow to store, once every value of the draft is in range and names something of this tenant. */
	private QueueOverflow checked(QueueId queue, QueueRoutingDraft draft) {
		range("ringSeconds", draft.ringSeconds(), 5, 120, "how long one agent's phone rings");
		range("maxWaitSeconds", draft.maxWaitSeconds(), 10, 3600, "how long a caller may wait");
		range("wrapUpSeconds", draft.wrapUpSeconds(), 0, 600, "the pause an agent gets after a call");
		if (!MUSIC_CLASS.matcher(draft.musicClass()).matches()) {
			throw invalid("musicClass", "The music class must be the name of a class of the PBX's musiconhold.conf: 1 to "
					+ "80 letters, digits, '_' or '-'.");
		}
		sound("greeting", draft.greeting());
		var overflow = draft.overflow();
		return switch (overflow.target()) {
			case HANG_UP -> {
				sound("overflow.message", overflow.message());
				yield new QueueOverflow(QueueOverflow.Target.HANG_UP, null, null, overflow.message());
			}
			case QUEUE -> {
				var target = overflow.queue();
				if (target == null || queues.find(target).isEmpty()) {
					throw invalid("overflow.queueId", target == null ? "An overflow to a queue names the queue (queueId)."
							: "There is no queue " + target + " in your organization.");
				}
				if (target.equals(queue)) {
					throw invalid("overflow.queueId", "A queue cannot overflow into itself: its callers would wait forever.");
				}
				yield new QueueOverflow(QueueOverflow.Target.QUEUE, target, null, null);
			}
			case USER -> {
				var user = overflow.user();
				if (user == null || members.find(user).isEmpty()) {
					throw invalid("overflow.userId", user == null ? "An overflow to a user names the user (userId)."
							: "User " + user + " is not a member of your organization (users become members when "
									+ "they first sign in).");
				}
				yield new QueueOverflow(QueueOverflow.Target.USER, null, user, null);
			}
		};
	}

	private static void range(String field, int value, int min, int max, String what) {
		if (value < min || value > max) {
			throw invalid(field, field + " is " + what + ", from " + min + " to " + max + " seconds; it was " + value + ".");
		}
	}

	/** A sound of the PBX by name, or {@code audio:<id>} for an item of the tenant's audio library. */
	private void sound(String field, @Nullable String sound) {
		if (sound == null) {
			return;
		}
		var library = LIBRARY_AUDIO.matcher(sound);
		if (library.matches()) {
			var id = AudioId.of(UUID.fromString(library.group(1)));
			if (audio.find(id).isEmpty()) {
				throw invalid(field, "There is no audio " + id + " in your organization's library (GET /api/audio).");
			}
			return;
		}
		if (!SOUND.matcher(sound).matches()) {
			throw invalid(field, field + " must name one of the PBX's sounds, such as queue-thankyou or vm-goodbye "
					+ "(1 to 80 letters, digits, '_', '-' or '/'), or an item of the audio library as audio:<id>.");
		}
	}

	/** The queues whose greeting or overflow message is this item of the audio library, by name. */
	List<String> queuesPlaying(AudioId item) {
		return jdbc.sql("select queue_id from queue_routing where greeting = :audio or overflow_message = :audio")
			.param("audio", "audio:" + item)
			.query((rs, row) -> QueueId.of(rs.getObject(1, UUID.class)))
			.list()
			.stream()
			.map(queue -> "queue \"" + queues.find(queue).map(QueueDetails::name).orElse(queue.toString()) + "\"")
			.toList();
	}

	static String summary(QueueRouting routing) {
		var overflow = routing.overflow();
		var then = switch (overflow.target()) {
			case HANG_UP -> "hang-up" + (overflow.message() == null ? "" : " after " + overflow.message());
			case QUEUE -> "queue " + overflow.queue();
			case USER -> "user " + overflow.user();
		};
		return routing.strategy().code() + ", ring " + routing.ringSeconds() + " s, wait " + routing.maxWaitSeconds()
				+ " s, wrap-up " + routing.wrapUpSeconds() + " s, music " + routing.musicClass() + ", then " + then;
	}

	private static QueueRouting routing(ResultSet rs, int row) throws SQLException {
		var overflowQueue = rs.getObject("overflow_queue", UUID.class);
		var overflowUser = rs.getString("overflow_user");
		var overflow = new QueueOverflow(QueueOverflow.Target.of(rs.getString("overflow_target")),
				overflowQueue == null ? null : QueueId.of(overflowQueue),
				overflowUser == null ? null : UserId.of(overflowUser), rs.getString("overflow_message"));
		return new QueueRouting(QueueId.of(rs.getObject("queue_id", UUID.class)),
				RoutingStrategy.of(rs.getString("strategy")), rs.getInt("ring_seconds"), rs.getInt("max_wait_seconds"),
				rs.getInt("wrap_up_seconds"), rs.getString("music_class"), rs.getString("greeting"), overflow, true,
				rs.getTimestamp("updated_at").toInstant());
	}

	private static ErrorResponseException invalid(String field, String message) {
		return InvalidField.problem("Invalid queue routing", field, message);
	}
}
