package io.voxdesk.calls.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Listens for the relay's notifications on a database connection of its own (outside the pool, which it would hold
 * forever): a command queued wakes the claim of this instance, an answer wakes its requester. Without a notification
 * for a second it claims anyway, which picks up commands queued while it reconnected or before this instance took
 * over a connection. A lost database connection is reopened, a few seconds apart.
 */
@Component
class RelaySignals implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RelaySignals.class);

	static final String COMMANDS = "voxdesk_connector_commands";

	static final String REPLIES = "voxdesk_connector_replies";

	private static final int WAIT_MILLIS = 1_000;

	private static final Duration RETRY = Duration.ofSeconds(2);

	private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

	private final ConnectorRelay relay;

	private final Environment environment;

	private volatile boolean running;

	private volatile @Nullable Thread thread;

	private volatile @Nullable Connection connection;

	RelaySignals(ConnectorRelay relay, Environment environment) {
		this.relay = relay;
		this.environment = environment;
	}

	@Override
	public void start() {
		running = true;
		thread = Thread.ofPlatform().name("relay-signals").daemon().start(this::listen);
	}

	@Override
	public void stop() {
		running = false;
		var listening = thread;
		if (listening != null) {
			listening.interrupt();
		}
		closeQuietly();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	private void listen() {
		var purgedAt = 0L;
		var failedBefore = false;
		while (running) {
			try (var open = open()) {
				connection = open;
				try (var statement = open.createStatement()) {
					statement.execute("LISTEN " + COMMANDS + "; LISTEN " + REPLIES);
				}
				if (failedBefore) {
					log.info("Listening for relayed requests again");
					failedBefore = false;
				}
				var pg = open.unwrap(PGConnection.class);
				relay.claimSoon();
				while (running) {
					var notifications = pg.getNotifications(WAIT_MILLIS);
					var claim = notifications == null || notifications.length == 0;
					if (notifications != null) {
						for (var notification : notifications) {
							if (notification.getName().equals(REPLIES)) {
								relay.answered(notification.getParameter());
							}
							else {
								claim = true;
							}
						}
					}
					if (claim) {
						relay.claimSoon();
					}
					if (System.nanoTime() - purgedAt > PURGE_EVERY.toNanos()) {
						purgedAt = System.nanoTime();
						relay.purge();
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (!running) {
					return;
				}
				if (!failedBefore) {
					log.warn("Listening for relayed requests failed, reconnecting every {} s: {}", RETRY.toSeconds(),
							ex.toString());
					failedBefore = true;
				}
				try {
					Thread.sleep(RETRY);
				}
				catch (InterruptedException interrupted) {
					return;
				}
			}
			finally {
				connection = null;
			}
		}
	}

	private Connection open() throws SQLException {
		var properties = new Properties();
		properties.setProperty("user", environment.getRequiredProperty("spring.datasource.username"));
		properties.setProperty("password", environment.getRequiredProperty("spring.datasource.password"));
		properties.setProperty("ApplicationName", "voxdesk-relay-signals");
		// Lets a dead server be noticed while waiting for notifications, instead of waiting forever.
		properties.setProperty("tcpKeepAlive", "true");
		properties.setProperty("socketTimeout", "30");
		return DriverManager.getConnection(environment.getRequiredProperty("spring.datasource.url"), properties);
	}

	private void closeQuietly() {
		var open = connection;
		if (open != null) {
			try {
				open.close();
			}
			catch (SQLException ex) {
				log.debug("Closing the relay's listening connection: {}", ex.toString());
			}
		}
	}
}
