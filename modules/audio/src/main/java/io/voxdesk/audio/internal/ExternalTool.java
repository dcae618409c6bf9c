package io.voxdesk.audio.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Runs one of the Debian programs the library relies on ({@code sox}, {@code espeak-ng}) with arguments, never
 * through a shell, and with a deadline: a file that makes a tool hang cannot hold a request thread for ever.
 */
final class ExternalTool {

	/** What a run ended with; {@code errors} is the end of what the tool wrote to its standard error. */
	record Outcome(int exitCode, String errors) {

		boolean succeeded() {
			return exitCode == 0;
		}

		/** What the tool complained of, on one line, for the log. */
		String lastError() {
			var text = String.join(" | ", errors.strip().lines().map(String::strip).filter(line -> !line.isEmpty()).toList());
			return text.isEmpty() ? "(nothing on standard error)" : text.substring(Math.max(0, text.length() - 300));
		}
	}

	/** The program is not installed (or not executable) on this machine. */
	static final class Missing extends IOException {

		Missing(String program, IOException cause) {
			super(program + " cannot be run: " + cause.getMessage(), cause);
		}
	}

	/** The program ran past its deadline and was stopped. */
	static final class TimedOut extends IOException {

		TimedOut(String program, Duration timeout) {
			super(program + " ran longer than " + timeout + " and was stopped");
		}
	}

	private static final int KEPT_ERROR_BYTES = 4096;

	private ExternalTool() {
	}

	/** Runs {@code command}, feeding it {@code input} on standard input when given, and waits for it. */
	static Outcome run(List<String> command, byte @Nullable [] input, Duration timeout) throws IOException {
		var builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
		if (input == null) {
			builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		}
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new Missing(command.getFirst(), ex);
		}
		var errors = CompletableFuture.supplyAsync(() -> tail(process.getErrorStream()),
				task -> Thread.ofVirtual().start(task));
		try {
			if (input != null) {
				try (var stdin = process.getOutputStream()) {
					stdin.write(input);
				}
			}
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new TimedOut(command.getFirst(), timeout);
			}
			return new Outcome(process.exitValue(), errors.join());
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException(command.getFirst() + " was interrupted", ex);
		}
	}

	/** The last few kilobytes a stream carries, read to its end so the process never blocks on a full pipe. */
	private static String tail(InputStream stream) {
		var kept = new ByteArrayOutputStream();
		var buffer = new byte[8192];
		try (stream) {
			int read;
			while ((read = stream.read(buffer)) >= 0) {
				if (kept.size() + read > KEPT_ERROR_BYTES) {
					kept.reset();
				}
				kept.write(buffer, 0, Math.min(read, KEPT_ERROR_BYTES));
			}
		}
		catch (IOException ex) {
			// The process ended or was stopped: what was read so far is all there is.
		}
		return kept.toString(StandardCharsets.UTF_8);
	}
}
