package io.voxdesk.calls.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.calls.CallNotPossibleException;
import io.voxdesk.calls.OutboundTargets;
import io.voxdesk.calls.ProviderConnectionChanged;
import io.voxdesk.calls.ProviderConnectionDetails;
import io.voxdesk.calls.ProviderConnectionDraft;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderConnectionNotFoundException;
import io.voxdesk.calls.ProviderException;
import io.voxdesk.calls.ProviderKind;
import io.voxdesk.calls.spi.ConnectionCheck;
import io.voxdesk.calls.spi.ConnectionDirectory;
import io.voxdesk.calls.spi.ConnectorDescription;
import io.voxdesk.calls.spi.ConnectorSetting;
import io.voxdesk.calls.spi.ProviderConnection;
import io.voxdesk.calls.spi.TelephonyConnector;
import io.voxdesk.tenants.RememberedValues;
import io.voxdesk.tenants.SecretCipher;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;

/**
 * Stores the tenant's provider connections: validates them through their connector, encrypts the secret, keeps at
 * most one enabled, and publishes a {@link ProviderConnectionChanged} for every change (the audit log keeps them).
 */
@Service
class ProviderConnectionWorkflow implements ConnectionDirectory {

	private static final Logger log = LoggerFactory.getLogger(ProviderConnectionWorkflow.class);

	private final ProviderConnections connections;

	private final Connectors connectors;

	private final SecretCipher cipher;

	private final OutboundTargets targets;

	private final TenantContext context;

	private final ApplicationEventPublisher events;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final RememberedValues<TenantId, EnabledConnection> enabled;

	ProviderConnectionWorkflow(ProviderConnections connections, Connectors connectors, SecretCipher cipher,
			TenantContext context, ApplicationEventPublisher events, JdbcClient jdbc, OutboundTargets targets,
			Optional<Clock> clock, RememberedValues<TenantId, EnabledConnection> enabled) {
		this.enabled = enabled;
		this.connections = connections;
		this.targets = targets;
		this.connectors = connectors;
		this.cipher = cipher;
		this.context = context;
		this.events = events;
		this.jdbc = jdbc;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	public List<ConnectorDescription> kinds() {
		return connectors.descriptions();
	}

	@Transactional(readOnly = true)
	public List<ProviderConnectionDetails> list() {
		return connections.findAllInOrder().stream().map(ProviderConnectionRecord::toDetails).toList();
	}

	@Transactional(readOnly = true)
	public Optional<ProviderConnectionDetails> find(ProviderConnectionId id) {
		return connections.findById(id.value()).map(ProviderConnectionRecord::toDetails);
	}

	@Transactional
	public ProviderConnectionDetails create(ProviderConnectionDraft draft) {
		var connector = validated(draft);
		if (draft.secret() == null || draft.secret().isBlank()) {
			throw invalid("secret", "A new " + connector.description().displayName() + " connection needs its "
					+ secretName(connector) + ".");
		}
		refuseSecondEnabled(draft, null);
		refuseTakenName(draft, null);
		var now = clock.instant();
		var record = new ProviderConnectionRecord(new ProviderConnectionId(UUID.randomUUID()), draft.kind(), now);
		record.change(draft.name().strip(), draft.enabled(), draft.settings(), now);
		record.changeSecret(cipher.encrypt(connector.secretPurpose(), draft.secret()));
		connections.saveAndFlush(record);
		publish(record, "created");
		log.info("Provider connection {} ({}) created", record.id(), draft.kind().code());
		return record.toDetails();
	}

	@Transactional
	public ProviderConnectionDetails update(ProviderConnectionId id, ProviderConnectionDraft draft) {
		var record = connections.findById(id.value()).orElseThrow(() -> new ProviderConnectionNotFoundException(id));
		if (!record.kind().equals(draft.kind())) {
			throw invalid("kind", "A connection cannot change its kind (it is " + record.kind().code()
					+ "); create a new connection instead.");
		}
		var connector = validated(draft);
		refuseSecondEnabled(draft, id);
		refuseTakenName(draft, id);
		var secretGiven = draft.secret() != null && !draft.secret().isBlank();
		if (!secretGiven && sendsTheSecretElsewhere(connector, record.settings(), draft.settings())) {
			// Otherwise "Test connection" (or the next call) would hand the stored secret to whatever host the new
			// settings name: write-only secrets must not be readable by pointing them at a server of one's own.
			throw invalid("secret", "The new base URL would send the stored " + secretName(connector)
					+ " to another server: enter the " + secretName(connector) + " again to confirm it may go there.");
		}
		var changes = new ArrayList<String>();
		if (record.enabled() != draft.enabled()) {
			changes.add(draft.enabled() ? "enabled" : "disabled");
		}
		if (!record.name().equals(draft.name().strip()) || !record.settings().equals(draft.settings())) {
			changes.add("updated");
		}
		if (draft.secret() != null && !draft.secret().isBlank()) {
			record.changeSecret(cipher.encrypt(connector.secretPurpose(), draft.secret()));
			changes.add("secret-changed");
		}
		record.change(draft.name().strip(), draft.enabled(), draft.settings(), clock.instant());
		connections.saveAndFlush(record);
		changes.forEach(change -> publish(record, change));
		log.info("Provider connection {} changed: {}", id, changes);
		return record.toDetails();
	}

	@Transactional
	public void delete(ProviderConnectionId id) {
		var record = connections.findById(id.value()).orElseThrow(() -> new ProviderConnectionNotFoundException(id));
		connections.delete(record);
		connections.flush();
		publish(record, "deleted");
		log.info("Provider connection {} deleted", id);
	}

	/** Tests a stored connection through its connector. */
	public ConnectionCheck test(ProviderConnectionId id) {
		var connection = connection(id).orElseThrow(() -> new ProviderConnectionNotFoundException(id));
		return connector(connection.kind()).test(connection);
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<ProviderConnection> connection(ProviderConnectionId id) {
		var tenant = context.currentTenant();
		return connections.findById(id.value()).map(record -> decrypted(tenant, record));
	}

	/**
	 * The tenant's enabled connection, which carries its calls, with its secret still encrypted: click-to-call reads
	 * it in its own transaction and the dialer decrypts it (with {@link #unsealed}) only to place the call.
	 */
	Optional<EnabledConnection> enabledConnection() {
		return enabled.get(context.currentTenant(), () -> connections.findEnabled()
			.map(record -> new EnabledConnection(record.toDetails(), record.secret())));
	}

	/** The enabled connection as a connector needs it; decrypts in the current tenant's scope. */
	ProviderConnection unsealed(EnabledConnection enabled) {
		var details = enabled.details();
		return new ProviderConnection(details.id(), context.currentTenant(), details.kind(), details.name(),
				details.enabled(), details.settings(),
				cipher.decrypt(connector(details.kind()).secretPurpose(), enabled.ciphertext()));
	}

	/** A connection as a click read it: its details, and its secret as stored (ciphertext). */
	record EnabledConnection(ProviderConnectionDetails details, String ciphertext) {

		@Override
		public String toString() {
			return "EnabledConnection[" + details + ", ciphertext=***]";
		}
	}

	/**
	 * Every tenant's enabled connection of a kind, for a connector starting up. Row-level security hides other
	 * tenants' rows, so the ids come from a definer function that reveals nothing but ids; each connection is then
	 * read and decrypted in its own tenant's scope.
	 */
	@Override
	public List<ProviderConnection> enabledConnections(ProviderKind kind) {
		var ids = jdbc.sql("select tenant_id, id from enabled_provider_connections(:kind)")
			.param("kind", kind.code())
			.query((rs, row) -> new Owned(TenantId.of(rs.getString(1)),
					ProviderConnectionId.of(rs.getObject(2, UUID.class))))
			.list();
		var result = new ArrayList<ProviderConnection>();
		for (var id : ids) {
			context.runAs(id.tenant(), () -> connection(id.connection()).ifPresent(result::add));
		}
		return result;
	}

	/** A connection id with its tenant, as the definer function lists them. */
	private record Owned(TenantId tenant, ProviderConnectionId connection) {
	}

	private ProviderConnection decrypted(TenantId tenant, ProviderConnectionRecord record) {
		return new ProviderConnection(record.id(), tenant, record.kind(), record.name(), record.enabled(),
				record.settings(), cipher.decrypt(connector(record.kind()).secretPurpose(), record.secret()));
	}

	private TelephonyConnector validated(ProviderConnectionDraft draft) {
		var name = draft.name().strip();
		if (name.isEmpty() || name.length() > 100) {
			throw invalid("name", "A connection needs a name of 1 to 100 characters.");
		}
		var connector = connector(draft.kind());
		DeclaredSettings.firstProblem(connector.description(), draft.settings(), draft.secret()).ifPresent(problem -> {
			throw invalid(problem.field(), problem.message());
		});
		try {
			connector.validate(draft);
		}
		catch (IllegalArgumentException ex) {
			throw invalid("settings", ex.getMessage());
		}
		for (var key : secretDestinations(connector)) {
			var url = draft.settings().get(key);
			if (url != null && !url.isBlank()) {
				try {
					targets.check(url);
				}
				catch (ProviderException ex) {
					throw invalid("settings." + key, "Voxdesk will not send requests there: " + ex.getMessage() + ".");
				}
			}
		}
		return connector;
	}

	private void refuseSecondEnabled(ProviderConnectionDraft draft, @Nullable ProviderConnectionId self) {
		if (!draft.enabled()) {
			return;
		}
		connections.findEnabled()
			.filter(enabled -> !enabled.id().equals(self))
			.ifPresent(enabled -> {
				throw new CallNotPossibleException("Another connection is enabled", "Connection '" + enabled.name()
						+ "' is enabled; a tenant's calls go through one connection, so disable it first.");
			});
	}

	/** Names are unique per tenant whether enabled or not (the database's index says so too, less clearly). */
	private void refuseTakenName(ProviderConnectionDraft draft, @Nullable ProviderConnectionId self) {
		connections.findAll()
			.stream()
			.filter(other -> !other.id().equals(self) && other.name().equalsIgnoreCase(draft.name().strip()))
			.findAny()
			.ifPresent(other -> {
				throw new CallNotPossibleException("Name taken", "A connection named '" + other.name() + "' exists.");
			});
	}

	private TelephonyConnector connector(ProviderKind kind) {
		return connectors.find(kind)
			.orElseThrow(() -> invalid("kind", "No " + kind.code() + " connector is installed in this Voxdesk; the "
					+ "installed ones are " + connectors.kinds() + "."));
	}

	private void publish(ProviderConnectionRecord record, String change) {
		enabled.forgetAfterCommit(context.currentTenant());
		events.publishEvent(new ProviderConnectionChanged(context.currentTenant(), record.id(), record.kind(),
				record.name(), change, context.actor(), clock.instant()));
	}

	/** The settings that may say where a connection's secret is sent: every URL a connector declares. */
	private static List<String> secretDestinations(TelephonyConnector connector) {
		return connector.description()
			.plainSettings()
			.stream()
			.filter(setting -> setting.type() == ConnectorSetting.Type.URL)
			.map(ConnectorSetting::name)
			.toList();
	}

	private static boolean sendsTheSecretElsewhere(TelephonyConnector connector, Map<String, String> stored,
			Map<String, String> wanted) {
		return secretDestinations(connector).stream()
			.anyMatch(key -> !normalized(stored.get(key)).equals(normalized(wanted.get(key))));
	}

	private static String normalized(@Nullable String url) {
		return url == null ? "" : url.strip().replaceAll("/+$", "").toLowerCase(java.util.Locale.ROOT);
	}

	private static String secretName(TelephonyConnector connector) {
		return connector.description().secret().label();
	}

	static ErrorResponseException invalid(String field, String message) {
		return InvalidField.problem("Invalid provider connection", field, message);
	}
}
