package io.voxdesk.campaigns;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

/**
 * When a campaign may place calls: on these days, from {@code from} until {@code until} (same day), in the
 * tenant's time zone. Calls in progress at the end of the window finish; no new one starts.
 */
public record CallingWindow(Set<DayOfWeek> days, LocalTime from, LocalTime until, ZoneId zone) {

	public CallingWindow {
		days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
	}

	/** Monday to Friday, 09:00 to 18:00, São Paulo time. */
	public static CallingWindow defaults() {
		return new CallingWindow(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0),
				LocalTime.of(18, 0), ZoneId.of("America/Sao_Paulo"));
	}

	/** Whether a call may start at {@code instant}. */
	public boolean isOpen(Instant instant) {
		var local = instant.atZone(zone);
		var time = local.toLocalTime();
		return days.contains(local.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(until);
	}
}
