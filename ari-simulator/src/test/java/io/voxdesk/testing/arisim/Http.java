package io.voxdesk.testing.arisim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the tests: REST calls, and WebSocket upgrades that are expected to be refused. */
final class Http {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient CLIENT = HttpClient.newHttpClient();

	private Http() {
	}

	/** A response with lower-case header names. */
	record Result(int status, Map<String, String> headers, byte[] body) {

		JsonNode json() {
			return JSON.readTree(body);
		}

		String text() {
			return new String(body, StandardCharsets.UTF_8);
		}

		@Nullable String header(String name) {
			return headers.get(name.toLowerCase(Locale.ROOT));
		}
	}

	static Result send(String method, URI uri, Map<String, String> headers, @Nullable String jsonBody) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(jsonBody));
		headers.forEach(request::header);
		if (jsonBody != null && !headers.containsKey("Content-Type")) {
			request.header("Content-Type", "application/json");
		}
		try {
			HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			Map<String, String> lowerCase = new TreeMap<>();
			response.headers().map().forEach((name, values) -> lowerCase.put(name.toLowerCase(Locale.ROOT),
					String.join(",", values)));
			return new Result(response.statusCode(), lowerCase, response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + uri + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/** An ARI call with the simulator's credentials; {@code pathAndQuery} starts after {@code /ari}. */
	static Result ari(AriSimulator simulator, String method, String pathAndQuery) {
		return ari(simulator, method, pathAndQuery, null);
	}

	/** The same with a JSON body, e.g. an originate's {@code variables}. */
	static Result ari(AriSimulator simulator, String method, String pathAndQuery, @Nullable String jsonBody) {
		AriSimulatorSettings settings = simulator.settings();
		String basic = Base64.getEncoder()
			.encodeToString((settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
		return send(method, URI.create("http://127.0.0.1:" + simulator.port() + "/ari" + pathAndQuery),
				Map.of("Authorization", "Basic " + basic), jsonBody);
	}

	/** A WebSocket upgrade over a raw socket, so that the status and body of a refusal can be read. */
	static Result upgrade(int port, String pathAndQuery) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: 13\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String head = readHead(in);
			String[] lines = head.split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			Map<String, String> headers = new TreeMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
			int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
			return new Result(status, headers, in.readNBytes(length));
		}
		catch (IOException ex) {
			throw new IllegalStateException("upgrade " + pathAndQuery + " failed", ex);
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		while (matched < end.length) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("connection closed in the response head");
			}
			head.write(b);
			matched = b == end[matched] ? matched + 1 : b == end[0] ? 1 : 0;
		}
		return head.toString(StandardCharsets.US_ASCII);
	}
}
