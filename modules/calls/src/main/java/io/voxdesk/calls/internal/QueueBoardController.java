package io.voxdesk.calls.internal;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** REST API of the live queue board: tenant admins only, as it shows every agent and every caller. */
@RestController
@PreAuthorize("hasRole('tenant-admin')")
class QueueBoardController {

	private final QueueBoard board;

	QueueBoardController(QueueBoard board) {
		this.board = board;
	}

	@Operation(summary = "The queues now: callers waiting and who is rung for them, agents' presence and calls, and "
			+ "today's counts; follow /topic/tenants/<tenant>/calls and /presence over STOMP to know when to read it again")
	@GetMapping("/api/queue-board")
	QueueBoard.Snapshot board(@Parameter(description = "The IANA time zone whose midnight starts 'today' (UTC when "
			+ "left out)", example = "America/Sao_Paulo") @RequestParam(required = false) @Nullable String zone) {
		return board.snapshot(zone(zone));
	}

	private static ZoneId zone(@Nullable String zone) {
		if (zone == null || zone.isBlank()) {
			return ZoneOffset.UTC;
		}
		try {
			return ZoneId.of(zone.strip());
		}
		catch (DateTimeException ex) {
			throw InvalidField.problem("Invalid time zone", "zone", "That is not a time zone; give an IANA name such as "
					+ "America/Sao_Paulo.");
		}
	}
}
