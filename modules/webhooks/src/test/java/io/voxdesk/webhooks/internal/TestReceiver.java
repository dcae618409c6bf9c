package io.voxdesk.webhooks.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * A host's webhook receiver on loopback: records every request (path, headers, body, when) and answers each path
 * with what the test scripted for it, in turn (204 once the script is used up); an answer can be held back.
 */
final class TestReceiver implements AutoCloseable {

	private final HttpServer server;

	final List<Received> received = new CopyOnWriteArrayList<>();

	private final Map<String, ConcurrentLinkedQueue<Answer>> scripts = new ConcurrentHashMap<>();

	TestReceiver() throws IOException {
		this(0);
	}

	/** A receiver on a given port: a host that comes back where it was after it went away. */
	TestReceiver(int port) throws IOException {
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/", exchange -> {
			var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			var headers = exchange.getRequestHeaders();
			received.add(new Received(exchange.getRequestURI().getPath(), headers.getFirst("webhook-id"),
					headers.getFirst("webhook-timestamp"), headers.getFirst("webhook-signature"), body, Instant.now()));
			var script = scripts.get(exchange.getRequestURI().getPath());
			var answer = script == null ? null : script.poll();
			if (answer == null) {
				answer = new Answer(204, null, null, "");
			}
			if (answer.release() != null) {
				try {
					answer.release().await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			if (answer.retryAfter() != null) {
				exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
			}
			var bytes = answer.body().getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
			if (bytes.length > 0) {
				exchange.getResponseBody().write(bytes);
			}
			exchange.close();
		});
		server.start();
	}

	int port() {
		return server.getAddress().getPort();
	}

	String url(String path) {
		return "http://127.0.0.1:" + server.getAddress().getPort() + path;
	}

	/** The next requests to {@code path} get these answers, in turn. */
	void script(String path, Answer... answers) {
		scripts.computeIfAbsent(path, key -> new ConcurrentLinkedQueue<>()).addAll(List.of(answers));
	}

	List<Received> at(String path) {
		return received.stream().filter(request -> request.path().equals(path)).toList();
	}

	@Override
	public void close() {
		server.stop(0);
	}

	/** One request as the host received it. */
	record Received(String path, String id, String timestamp, String signature, String body, Instant at) {
	}

	/** What the host answers; {@code release}, when set, holds the answer back until it opens. */
	record Answer(int status, String retryAfter, CountDownLatch release, String body) {

		static Answer status(int status) {
			return new Answer(status, null, null, "");
		}
	}
}
