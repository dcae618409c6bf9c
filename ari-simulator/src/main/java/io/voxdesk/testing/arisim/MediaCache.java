package io.voxdesk.testing.arisim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What Asterisk's {@code res_http_media_cache} does for {@code sound:http://…}: the whole URL (query included) is the
 * cache key; a response is fresh for its {@code Cache-Control} max-age (else not at all); a stale entry with an ETag
 * is revalidated with {@code If-None-Match}; a failed fetch fails the playback. The simulator reads the WAV's length
 * to know when the playback finishes.
 */
final class MediaCache {

	private static final Pattern MAX_AGE = Pattern.compile("(?:s-maxage|max-age)=([0-9]+)");

	/** One request the cache made, for tests: the URL, the answer's status, whether it was conditional. */
	record Fetch(String url, int status, boolean conditional) {
	}

	private record Entry(long durationMillis, @Nullable String etag, Instant freshUntil) {
	}

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final List<Fetch> fetches = new ArrayList<>();

	/** How long the audio at {@code url} plays, from the cache or fetched now; empty when it cannot be had. */
	OptionalLong durationMillis(String url) {
		var cached = entries.get(url);
		if (cached != null && Instant.now().isBefore(cached.freshUntil())) {
			return OptionalLong.of(cached.durationMillis());
		}
		try {
			var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET();
			var conditional = cached != null && cached.etag() != null;
			if (conditional) {
				request.header("If-None-Match", cached.etag());
			}
			var response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			record(new Fetch(url, response.statusCode(), conditional));
			var freshUntil = Instant.now().plusSeconds(maxAge(response));
			if (response.statusCode() == 304 && cached != null) {
				entries.put(url, new Entry(cached.durationMillis(), cached.etag(), freshUntil));
				return OptionalLong.of(cached.durationMillis());
			}
			if (response.statusCode() != 200) {
				entries.remove(url);
				return OptionalLong.empty();
			}
			var duration = wavMillis(response.body());
			if (duration < 0) {
				entries.remove(url);
				return OptionalLong.empty();
			}
			entries.put(url, new Entry(duration, response.headers().firstValue("ETag").orElse(null), freshUntil));
			return OptionalLong.of(duration);
		}
		catch (IOException | IllegalArgumentException ex) {
			record(new Fetch(url, 0, false));
			return OptionalLong.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return OptionalLong.empty();
		}
	}

	synchronized List<Fetch> fetches() {
		return List.copyOf(fetches);
	}

	synchronized void clear() {
		fetches.clear();
		entries.clear();
	}

	private synchronized void record(Fetch fetch) {
		fetches.add(fetch);
	}

	private static long maxAge(HttpResponse<?> response) {
		return response.headers().firstValue("Cache-Control").map(MAX_AGE::matcher).filter(Matcher::find)
			.map(matcher -> Long.parseLong(matcher.group(1)))
			.orElse(0L);
	}

	/** The play time of a PCM WAV file, from its {@code fmt } and {@code data} chunks; -1 for anything else. */
	static long wavMillis(byte[] wav) {
		if (wav.length < 12 || !new String(wav, 0, 4).equals("RIFF") || !new String(wav, 8, 4).equals("WAVE")) {
			return -1;
		}
		var buffer = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
		long bytesPerSecond = 0;
		int position = 12;
		while (position + 8 <= wav.length) {
			var id = new String(wav, position, 4);
			var length = Integer.toUnsignedLong(buffer.getInt(position + 4));
			if (id.equals("fmt ") && position + 16 <= wav.length) {
				bytesPerSecond = Integer.toUnsignedLong(buffer.getInt(position + 16));
			}
			if (id.equals("data")) {
				return bytesPerSecond == 0 ? -1 : Math.min(length, wav.length - position - 8) * 1000 / bytesPerSecond;
			}
			position += (int) (8 + length + (length & 1));
		}
		return -1;
	}
}
