package io.voxdesk.campaigns.internal;

import java.time.DayOfWeek;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Collectors;

import io.voxdesk.campaigns.CampaignDraft;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/** A draft's values as the named parameters of the {@code campaigns} insert and update. */
record DraftParameters(CampaignDraft draft) {

	MapSqlParameterSource values() {
		var window = draft.window();
		var retries = draft.retries();
		return new MapSqlParameterSource()
			.addValue("name", draft.name().strip())
			.addValue("connection", draft.connection().value())
			.addValue("message", draft.message().value())
			.addValue("callerId", draft.callerId())
			.addValue("tags", draft.contacts().tags().toArray(String[]::new))
			.addValue("query", draft.contacts().query())
			.addValue("concurrency", draft.concurrency())
			.addValue("days", window.days()
				.stream()
				.sorted(Comparator.naturalOrder())
				.map(DayOfWeek::name)
				.map(day -> day.substring(0, 3).toLowerCase(Locale.ROOT))
				.collect(Collectors.joining(",")))
			.addValue("from", window.from())
			.addValue("until", window.until())
			.addValue("zone", window.zone().getId())
			.addValue("busyAttempts", retries.busy().maxAttempts())
			.addValue("busyDelay", retries.busy().delayMinutes())
			.addValue("noAnswerAttempts", retries.noAnswer().maxAttempts())
			.addValue("noAnswerDelay", retries.noAnswer().delayMinutes())
			.addValue("failedAttempts", retries.failed().maxAttempts())
			.addValue("failedDelay", retries.failed().delayMinutes())
			.addValue("machineAttempts", retries.machine().maxAttempts())
			.addValue("machineDelay", retries.machine().delayMinutes())
			.addValue("machines", draft.machines().value())
			.addValue("ivr", IvrJson.write(draft.ivr()));
	}
}
