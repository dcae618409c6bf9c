package io.voxdesk.calls.internal;

import java.io.IOException;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallManagement;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Answers a recording download, with HTTP Range support (Spring MVC cuts the ranges out of the resource), and audits
 * exactly what is sent: the whole recording or the ranges a player asked for, nothing for a range past the end.
 */
final class RecordingDownloads {

	private RecordingDownloads() {
	}

	static ResponseEntity<Resource> send(CallId call, CallManagement.Recording recording, HttpHeaders headers,
			@Nullable CacheControl cache, BiConsumer<CallId, String> audit) throws IOException {
		var length = recording.audio().contentLength();
		List<HttpRange> ranges;
		try {
			ranges = headers.getRange();
		}
		catch (IllegalArgumentException ex) {
			// A Range header that cannot be read is ignored (RFC 9110, 14.2): the whole recording is sent.
			ranges = List.of();
		}
		if (!ranges.isEmpty() && ranges.stream().noneMatch(range -> range.getRangeStart(length) < length)) {
			// Nothing of the recording is sent, so nothing is audited; the client learns the length.
			return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
				.header(HttpHeaders.CONTENT_RANGE, "bytes */" + length)
				.build();
		}
		// Every byte sent is audited: a player's later range requests too, each saying which bytes.
		audit.accept(call, ranges.isEmpty() ? "all " + length + " bytes" : ranges.stream()
			.map(range -> "bytes " + range.getRangeStart(length) + "-" + range.getRangeEnd(length))
			.collect(Collectors.joining(", ")) + " of " + length);
		var answer = ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(recording.mediaType()))
			.header(HttpHeaders.ACCEPT_RANGES, "bytes");
		if (cache != null) {
			answer.cacheControl(cache);
		}
		return answer.body(recording.audio());
	}
}
