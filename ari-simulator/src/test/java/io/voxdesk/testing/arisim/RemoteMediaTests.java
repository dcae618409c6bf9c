package io.voxdesk.testing.arisim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * {@code sound:http://…} playbacks, as Asterisk's HTTP media cache plays them: fetched after {@code PlaybackStarted},
 * finished when the WAV has played, kept by the whole URL and revalidated with its ETag once stale, and a playback
 * that fails when the server refuses the file.
 */
class RemoteMediaTests {

	static final String APP = "voxdesk";

	AriSimulator simulator;

	EventSocket events;

	HttpServer media;

	final AtomicInteger full = new AtomicInteger();

	@BeforeEach
	void start() throws IOException {
		simulator = AriSimulator.start(AriSimulatorSettings.defaults().withTimeScale(0.1));
		events = EventSocket.open(simulator, APP, false);
		media = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		media.createContext("/greeting.wav", exchange -> {
			exchange.getResponseHeaders().add("ETag", "\"greeting-1\"");
			exchange.getResponseHeaders().add("Cache-Control", "private, max-age=0");
			if ("\"greeting-1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
				exchange.sendResponseHeaders(304, -1);
				exchange.close();
				return;
			}
			full.incrementAndGet();
			var wav = wav(8000, 1500);
			exchange.getResponseHeaders().add("Content-Type", "audio/wav");
			exchange.sendResponseHeaders(200, wav.length);
			exchange.getResponseBody().write(wav);
			exchange.close();
		});
		media.createContext("/gone.wav", exchange -> {
			exchange.sendResponseHeaders(404, -1);
			exchange.close();
		});
		media.start();
	}

	@AfterEach
	void stop() {
		media.stop(0);
		if (!events.isClosed()) {
			events.close();
		}
		simulator.close();
	}

	String url(String path) {
		return "http://127.0.0.1:" + media.getAddress().getPort() + path + "?exp=1&sig=abc";
	}

	String answeredChannel() {
		var id = Http.ari(simulator, "POST", "/channels?endpoint=PJSIP/3000&app=" + APP).json().get("id").asString();
		events.awaitType("StasisStart", id);
		return id;
	}

	JsonNode play(String channel, String uri, String playbackId) {
		var started = Http.ari(simulator, "POST", "/channels/" + channel + "/play/" + playbackId + "?media="
				+ URLEncoder.encode("sound:" + uri, StandardCharsets.UTF_8));
		assertThat(started.status()).isEqualTo(201);
		return events.awaitEvent(event -> "PlaybackFinished".equals(event.get("type").asString())
				&& playbackId.equals(event.get("playback").get("id").asString()));
	}

	@Test
	void aRemoteWavIsFetchedOnceWhileFreshThenRevalidatedAndPlaysToItsEnd() {
		var channel = answeredChannel();
		var url = url("/greeting.wav");

		var first = play(channel, url, "p-1");
		var second = play(channel, url, "p-2");

		assertThat(first.get("playback").get("state").asString()).isEqualTo("done");
		assertThat(first.get("playback").get("media_uri").asString()).isEqualTo("sound:" + url);
		assertThat(second.get("playback").get("state").asString()).isEqualTo("done");
		var types = events.events()
			.stream()
			.filter(event -> event.has("playback"))
			.map(event -> event.get("type").asString() + " " + event.get("playback").get("id").asString())
			.toList();
		assertThat(types).containsExactly("PlaybackStarted p-1", "PlaybackFinished p-1", "PlaybackStarted p-2",
				"PlaybackFinished p-2");
		assertThat(simulator.mediaFetches()).containsExactly("200 " + url, "304 " + url + " (revalidated)");
		assertThat(full).hasValue(1);
	}

	@Test
	void aFileTheServerRefusesFailsThePlaybackAfterItStarted() {
		var channel = answeredChannel();
		var url = url("/gone.wav");

		var finished = play(channel, url, "p-gone");

		assertThat(finished.get("playback").get("state").asString()).isEqualTo("failed");
		assertThat(events.events().stream().map(event -> event.get("type").asString()))
			.containsSubsequence("PlaybackStarted", "PlaybackFinished");
		assertThat(simulator.mediaFetches()).containsExactly("404 " + url);
	}

	@Test
	void theLengthOfAWavIsReadFromItsChunks() {
		assertThat(MediaCache.wavMillis(wav(8000, 1500))).isEqualTo(1500);
		assertThat(MediaCache.wavMillis(wav(16_000, 250))).isEqualTo(250);
		assertThat(MediaCache.wavMillis("ID3 not a wav".getBytes())).isEqualTo(-1);
	}

	/** Silence of 16-bit mono PCM WAV. */
	static byte[] wav(int rate, int millis) {
		var dataBytes = rate * 2 * millis / 1000;
		var buffer = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
		buffer.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
		buffer.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
			.putShort((short) 2).putShort((short) 16);
		buffer.put("data".getBytes()).putInt(dataBytes);
		return buffer.array();
	}
}
