package io.voxdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.voxdesk.audio.AudioId;
import io.voxdesk.audio.AudioLinks;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.client.RestClient;

/**
 * The audio library over real HTTP with Keycloak tokens: upload, list, listening back in ranges, text-to-speech,
 * delete with its audit trail, every refusal as a problem document, and what agents and other tenants cannot do.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class AudioApiTests {

	@LocalServerPort
	int port;

	@Autowired
	AudioLinks links;

	@Autowired
	TenantContext context;

	VoxdeskApi api;

	@BeforeEach
	void tenants() {
		api = new VoxdeskApi(port);
		api.ensureActiveTenant("acme");
		api.ensureActiveTenant("globex");
	}

	/** A 440 Hz tone as 16-bit PCM WAV. */
	static byte[] wav(int rate, int channels, double seconds) {
		var frames = (int) Math.round(rate * seconds);
		var buffer = ByteBuffer.allocate(44 + frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
		buffer.put("RIFF".getBytes()).putInt(36 + frames * channels * 2).put("WAVE".getBytes());
		buffer.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
			.putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
		buffer.put("data".getBytes()).putInt(frames * channels * 2);
		for (int i = 0; i < frames; i++) {
			for (int c = 0; c < channels; c++) {
				buffer.putShort((short) (Math.sin(2 * Math.PI * 440 * i / rate) * 8000));
			}
		}
		return buffer.array();
	}

	/** The tone as MP3, made by Debian's sox (which the application needs anyway). */
	static byte[] mp3(double seconds) throws IOException, InterruptedException {
		var dir = Files.createTempDirectory("voxdesk-api-audio-");
		var source = dir.resolve("tone.wav");
		var target = dir.resolve("tone.mp3");
		Files.write(source, wav(44_100, 2, seconds));
		var sox = new ProcessBuilder("sox", source.toString(), target.toString()).redirectErrorStream(true).start();
		var output = new String(sox.getInputStream().readAllBytes());
		assertThat(sox.waitFor()).as(output).isZero();
		var bytes = Files.readAllBytes(target);
		Files.delete(source);
		Files.delete(target);
		Files.delete(dir);
		return bytes;
	}

	VoxdeskApi.Response upload(String user, byte[] content, String filename, String kind, String name) {
		var parts = new LinkedMultiValueMap<String, Object>();
		var fileHeaders = new HttpHeaders();
		fileHeaders.setContentType(MediaType.APPLICATION_OCTET_STREAM);
		parts.add("file", new HttpEntity<>(new ByteArrayResource(content) {

			@Override
			public String getFilename() {
				return filename;
			}
		}, fileHeaders));
		if (kind != null) {
			parts.add("kind", kind);
		}
		if (name != null) {
			parts.add("name", name);
		}
		return api.postMultipart(user, "/api/audio", parts);
	}

	@Test
	void anAdminUploadsAnMp3ListensToItInRangesAndDeletesItWithAnAuditTrail() throws Exception {
		var uploaded = upload("acme-admin", mp3(3.0), "black-friday.mp3", "campaign-message", "Black Friday");
		assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
		var id = uploaded.json().path("id").asString();
		assertThat(uploaded.json().path("name").asString()).isEqualTo("Black Friday");
		assertThat(uploaded.json().path("kind").asString()).isEqualTo("campaign-message");
		assertThat(uploaded.json().path("format").asString()).isEqualTo("mp3");
		assertThat(uploaded.json().path("source").asString()).isEqualTo("upload");
		assertThat(uploaded.json().path("durationMillis").asLong()).isBetween(2950L, 3100L);
		assertThat(uploaded.json().path("createdBy").asString()).isEqualTo("acme-admin");

		assertThat(api.get("acme-admin", "/api/audio?kind=campaign-message").body()).contains(id);
		assertThat(api.get("acme-admin", "/api/audio?kind=music-on-hold").body()).doesNotContain(id);
		assertThat(api.get("acme-admin", "/api/audio/" + id).json().path("sizeBytes").asLong())
			.isEqualTo(uploaded.json().path("sizeBytes").asLong());

		var whole = api.getBytes("acme-admin", "/api/audio/" + id + "/content", null);
		assertThat(whole.status()).isEqualTo(200);
		assertThat(whole.contentType()).isEqualTo("audio/wav");
		assertThat(whole.body()).hasSize((int) uploaded.json().path("sizeBytes").asLong());
		var header = ByteBuffer.wrap(whole.body()).order(ByteOrder.LITTLE_ENDIAN);
		assertThat(new String(whole.body(), 0, 4)).isEqualTo("RIFF");
		assertThat(header.getShort(22)).as("channels").isEqualTo((short) 1);
		assertThat(header.getInt(24)).as("sample rate").isEqualTo(8000);
		assertThat(header.getShort(34)).as("bits per sample").isEqualTo((short) 16);

		var part = api.getBytes("acme-admin", "/api/audio/" + id + "/content", "bytes=44-1043");
		assertThat(part.status()).isEqualTo(206);
		assertThat(part.body()).hasSize(1000).isEqualTo(Arrays.copyOfRange(whole.body(), 44, 1044));

		var deleted = api.delete("acme-admin", "/api/audio/" + id);
		assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
		assertThat(api.get("acme-admin", "/api/audio/" + id).status()).isEqualTo(404);
		assertThat(api.getBytes("acme-admin", "/api/audio/" + id + "/content", null).status()).isEqualTo(404);
		await().untilAsserted(() -> assertThat(api.get("acme-admin", "/api/audit-entries?size=200").body())
			.contains("upload \\\"Black Friday\\\" added as campaign-message")
			.contains("audio \\\"Black Friday\\\" deleted"));
	}

	@Test
	void typedTextBecomesSpeechOnceAndTheLanguagesAreListed() {
		var languages = api.get("acme-admin", "/api/audio/languages");
		assertThat(languages.status()).isEqualTo(200);
		assertThat(languages.body()).contains("\"pt-BR\"", "\"en-US\"");

		var body = """
				{"name": "Fatura", "kind": "campaign-message", "language": "pt-BR",
				 "text": "Olá! Sua fatura vence amanhã. Tecle 1 para falar com um atendente. %s"}"""
			.formatted(System.nanoTime());
		var first = api.post("acme-admin", "/api/audio/speech", body);
		var again = api.post("acme-admin", "/api/audio/speech", body);

		assertThat(first.status()).as(first.body()).isEqualTo(201);
		assertThat(again.status()).as("the same text again is the same item, not a new synthesis").isEqualTo(200);
		assertThat(again.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
		assertThat(first.json().path("source").asString()).isEqualTo("speech");
		assertThat(first.json().path("language").asString()).isEqualTo("pt-BR");
		assertThat(first.json().path("durationMillis").asLong()).isGreaterThan(1000);
		var audio = api.getBytes("acme-admin", "/api/audio/" + first.json().path("id").asString() + "/content", null);
		assertThat(audio.status()).isEqualTo(200);
		assertThat(ByteBuffer.wrap(audio.body()).order(ByteOrder.LITTLE_ENDIAN).getInt(24)).isEqualTo(8000);
	}

	@Test
	void badInputGetsAProblemThatSaysWhatToDoAndAddsNothing() throws Exception {
		var before = api.get("acme-admin", "/api/audio").json().size();

		var corrupt = new byte[8192];
		System.arraycopy("ID3".getBytes(), 0, corrupt, 0, 3);
		var damaged = upload("acme-admin", corrupt, "promo.mp3", "campaign-message", null);
		assertThat(damaged.status()).isEqualTo(422);
		assertThat(damaged.detail()).contains("could not be read as MP3");

		var notAudio = upload("acme-admin", "name,phone\nMaria,123\n".getBytes(), "list.wav", "ivr-prompt", null);
		assertThat(notAudio.status()).isEqualTo(415);
		assertThat(notAudio.detail()).contains("not WAV, MP3 or GSM");

		var huge = new byte[21 * 1024 * 1024];
		var tooLarge = upload("acme-admin", huge, "long.wav", "music-on-hold", null);
		assertThat(tooLarge.status()).isEqualTo(413);
		assertThat(tooLarge.detail()).contains("larger than the 20 MB").contains("shorten the audio");

		var noKind = upload("acme-admin", wav(8000, 1, 1), "a.wav", null, null);
		assertThat(noKind.status()).isEqualTo(400);
		assertThat(noKind.detail()).contains("kind");
		var wrongKind = upload("acme-admin", wav(8000, 1, 1), "a.wav", "ringtone", null);
		assertThat(wrongKind.status()).isEqualTo(400);
		assertThat(wrongKind.detail()).contains("'ringtone' is not an audio kind");

		var badSpeech = api.post("acme-admin", "/api/audio/speech",
				"{\"kind\": \"campaign-message\", \"language\": \"fr-FR\", \"text\": \"Bonjour\"}");
		assertThat(badSpeech.status()).isEqualTo(400);
		assertThat(badSpeech.detail()).contains("'fr-FR' is not a language");
		var noText = api.post("acme-admin", "/api/audio/speech", "{\"kind\": \"ivr-prompt\", \"language\": \"pt-BR\"}");
		assertThat(noText.status()).isEqualTo(400);
		assertThat(noText.detail()).contains("text");

		assertThat(api.get("acme-admin", "/api/audio").json().size()).isEqualTo(before);
	}

	record Fetched(int status, String contentType, String etag, String cacheControl, int length) {
	}

	/** A GET as a PBX makes it: no token, maybe a conditional request. */
	Fetched fetch(String url, String ifNoneMatch) {
		var request = RestClient.create().get().uri(URI.create(url));
		if (ifNoneMatch != null) {
			request = request.header("If-None-Match", ifNoneMatch);
		}
		return request.exchange((req, response) -> new Fetched(response.getStatusCode().value(),
				String.valueOf(response.getHeaders().getContentType()), String.valueOf(response.getHeaders().getETag()),
				String.valueOf(response.getHeaders().getCacheControl()), response.getBody().readAllBytes().length));
	}

	/**
	 * Issue 17, point 3: a PBX fetches audio through a link signed for one connection, without a token; the same
	 * hour's links are one URL it may cache until the link expires, and its revalidation gets a 304. The attacks:
	 * the signature altered, the link moved to another connection, another item or another tenant, and the library
	 * listed without a link.
	 */
	@Test
	void aPbxFetchesAudioOnlyThroughALinkSignedForItsConnection() {
		var uploaded = upload("acme-admin", wav(8000, 1, 1.5), "welcome.wav", "ivr-prompt", null);
		var other = upload("acme-admin", wav(8000, 1, 0.5), "other.wav", "ivr-prompt", null);
		var id = UUID.fromString(uploaded.json().path("id").asString());
		var base = URI.create("http://127.0.0.1:" + port + "/");
		var link = context.callAs(TenantId.of("acme"), () -> links.link(AudioId.of(id), "connection:pbx-1", base))
			.toString();

		assertThat(link).startsWith("http://127.0.0.1:" + port + "/media/audio/acme/" + id + ".wav?aud=connection%3Apbx-1&exp=");
		assertThat(context.callAs(TenantId.of("acme"), () -> links.link(AudioId.of(id), "connection:pbx-1", base)))
			.as("within the hour, the same URL: the PBX's cache keeps it").hasToString(link);
		var fetched = fetch(link, null);
		assertThat(fetched.status()).isEqualTo(200);
		assertThat(fetched.contentType()).isEqualTo("audio/wav");
		assertThat(fetched.length()).isEqualTo(uploaded.json().path("sizeBytes").asInt());
		assertThat(fetched.etag()).isEqualTo("\"" + id + "\"");
		var maxAge = Long.parseLong(fetched.cacheControl().replaceAll(".*max-age=([0-9]+).*", "$1"));
		assertThat(maxAge).as("until the link expires: one to two hours").isBetween(3500L, 7200L);
		assertThat(fetch(link, "\"" + id + "\"").status()).isEqualTo(304);

		var signature = link.substring(link.indexOf("&sig=") + 5);
		var forged = link.replace("&sig=" + signature, "&sig=" + (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1));
		assertThat(fetch(forged, null).status()).isEqualTo(403);
		assertThat(fetch(link.replace("aud=connection%3Apbx-1", "aud=connection%3Apbx-2"), null).status()).isEqualTo(403);
		assertThat(fetch(link.replace(id.toString(), other.json().path("id").asString()), null).status()).isEqualTo(403);
		assertThat(fetch(link.replace("/acme/", "/globex/"), null).status()).isEqualTo(403);
		var later = Long.parseLong(link.replaceAll(".*&exp=([0-9]+).*", "$1")) + 3600;
		assertThat(fetch(link.replaceAll("&exp=[0-9]+", "&exp=" + later), null).status()).isEqualTo(403);
		assertThat(fetch("http://127.0.0.1:" + port + "/media/audio/acme/", null).status()).isIn(401, 403, 404);
		assertThat(fetch("http://127.0.0.1:" + port + "/media/audio/acme/" + id + ".wav", null).status()).isEqualTo(400);

		assertThat(api.delete("acme-admin", "/api/audio/" + id).status()).isEqualTo(204);
		assertThat(fetch(link, null).status()).as("deleted audio is gone for the PBX too").isEqualTo(404);
	}

	@Test
	void agentsAndOtherTenantsReachNothing() {
		var uploaded = upload("acme-admin", wav(16_000, 1, 1), "segredo.wav", "ivr-prompt", null);
		assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
		var id = uploaded.json().path("id").asString();

		// The attack: globex's admin got hold of acme's audio id and tries every verb on it.
		for (var path : List.of("/api/audio/" + id, "/api/audio/" + id + "/content")) {
			assertThat(api.get("globex-admin", path).status()).as(path).isEqualTo(404);
		}
		assertThat(api.delete("globex-admin", "/api/audio/" + id).status()).isEqualTo(404);
		assertThat(api.get("globex-admin", "/api/audio").body()).doesNotContain(id);
		// An agent of acme itself manages no audio.
		assertThat(api.get("acme-agent", "/api/audio").status()).isEqualTo(403);
		assertThat(upload("acme-agent", wav(8000, 1, 1), "a.wav", "ivr-prompt", null).status()).isEqualTo(403);
		assertThat(api.delete("acme-agent", "/api/audio/" + id).status()).isEqualTo(403);

		assertThat(api.get("acme-admin", "/api/audio/" + id).status()).isEqualTo(200);
	}

	/**
	 * Issue 17, point 13: a 200 MB upload. The attack: a client streams 200 MB at the library. Voxdesk answers 413 with
	 * a problem as soon as the limit is passed (read from the same connection while the client is still sending, as a
	 * browser or curl does), without holding the file, and nothing is added to the library.
	 */
	@Test
	void aTwoHundredMegabyteUploadIsRefusedEarlyAndLeavesNothing() throws Exception {
		var before = api.get("acme-admin", "/api/audio").json().size();
		var boundary = "vx" + UUID.randomUUID();
		var head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncampaign-message\r\n--"
				+ boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.wav\"\r\n"
				+ "Content-Type: audio/wav\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		var tail = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		long size = 200L * 1024 * 1024;
		var request = ("POST /api/audio HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer "
				+ io.voxdesk.testing.KeycloakTestServer.accessToken("acme-admin") + "\r\nContent-Type: multipart/form-data; "
				+ "boundary=" + boundary + "\r\nContent-Length: " + (head.length + size + tail.length)
				+ "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		long sent = 0;
		String response;
		try (var socket = new java.net.Socket("127.0.0.1", port)) {
			var out = socket.getOutputStream();
			var in = socket.getInputStream();
			out.write(request);
			out.write(head);
			var chunk = new byte[64 * 1024];
			try {
				while (sent < size && in.available() == 0) {
					var length = (int) Math.min(chunk.length, size - sent);
					out.write(chunk, 0, length);
					sent += length;
				}
				if (sent == size) {
					out.write(tail);
				}
				out.flush();
			}
			catch (IOException ex) {
				// The server closed its side after answering: what it answered is still to be read.
			}
			// The server keeps the connection for the rest of the body it will never get: what it answered is read
			// until it has been quiet for two seconds.
			socket.setSoTimeout(2_000);
			var answer = new java.io.ByteArrayOutputStream();
			var buffer = new byte[8192];
			try {
				for (int read; (read = in.read(buffer)) > 0;) {
					answer.write(buffer, 0, read);
				}
			}
			catch (java.net.SocketTimeoutException ex) {
				// Quiet: the answer is complete.
			}
			response = answer.toString(java.nio.charset.StandardCharsets.UTF_8);
		}
		assertThat(response).startsWith("HTTP/1.1 413");
		assertThat(response).contains("application/problem+json").contains("larger than the 20 MB");
		assertThat(sent).as("refused long before the client sent everything").isLessThan(size);
		assertThat(api.get("acme-admin", "/api/audio").json().size()).as("nothing added").isEqualTo(before);
	}
}
