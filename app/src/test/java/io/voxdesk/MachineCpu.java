package io.voxdesk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * CPU time of this machine as Linux's {@code /proc} counts it, for benchmarks that must tell whether a latency was
 * spent computing or waiting: the machine's busy and total time over all cores, PostgreSQL's (every backend and
 * helper process), and one other process's (the simulated PBX). Times are in ms; empty where {@code /proc} is not
 * readable.
 */
record MachineCpu(double busyMs, double totalMs, double postgresMs, double processMs) {

	/** Linux counts these times in ticks of {@code USER_HZ}, 100 a second on the platforms our machines run. */
	private static final double MS_PER_TICK = 10;

	/** The counts now; {@code pid} is the other process to follow (0 for none). */
	static Optional<MachineCpu> now(long pid) {
		try {
			var cpu = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).getFirst().trim().split("\\s+");
			long total = 0;
			for (var i = 1; i < cpu.length; i++) {
				total += Long.parseLong(cpu[i]);
			}
			// Idle and waiting for I/O are not busy; guest time is already counted in user time.
			var idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
			var guest = cpu.length > 10 ? Long.parseLong(cpu[9]) + Long.parseLong(cpu[10]) : 0;
			total -= guest;
			long postgres = 0;
			try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
				for (var process : processes.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit))
					.toList()) {
					postgres += ticksOf(process, "postgres", true);
				}
			}
			var other = pid > 0 ? ticksOf(Path.of("/proc", Long.toString(pid)), null, false) : 0;
			return Optional.of(new MachineCpu((total - idle) * MS_PER_TICK, total * MS_PER_TICK, postgres * MS_PER_TICK,
					other * MS_PER_TICK));
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	/** What happened between {@code earlier} and this. */
	MachineCpu since(MachineCpu earlier) {
		return new MachineCpu(busyMs - earlier.busyMs, totalMs - earlier.totalMs, postgresMs - earlier.postgresMs,
				processMs - earlier.processMs);
	}

	/** The share of the machine's cores that was busy, 0 to 1. */
	double busyShare() {
		return totalMs == 0 ? 0 : busyMs / totalMs;
	}

	/**
	 * User and system ticks of the process, if its command is {@code command} (any command for {@literal null}); 0 for
	 * a process gone meanwhile or of another command. With {@code reaped}, also those of its children that ended: a
	 * PostgreSQL backend or parallel worker that exits takes its ticks along, and they reappear in the postmaster's.
	 */
	private static long ticksOf(Path process, @Nullable String command, boolean reaped) {
		String stat;
		try {
			stat = Files.readString(process.resolve("stat"), StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			return 0;
		}
		var open = stat.indexOf('(');
		var close = stat.lastIndexOf(')');
		if (open < 0 || close < open || command != null && !stat.substring(open + 1, close).equals(command)) {
			return 0;
		}
		// After the command: state, ppid, ... utime is the 14th field of the line, stime the 15th, then the ended
		// children's cutime and cstime.
		var fields = stat.substring(close + 2).split(" ");
		var own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		return reaped ? own + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : own;
	}
}
