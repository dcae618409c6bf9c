package io.voxdesk.extensions.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.voxdesk.extensions.AgentLine;
import io.voxdesk.extensions.ExtensionChanged;
import io.voxdesk.extensions.ExtensionDetails;
import io.voxdesk.extensions.ExtensionDraft;
import io.voxdesk.extensions.ExtensionNotFoundException;
import io.voxdesk.extensions.ExtensionSummary;
import io.voxdesk.extensions.ExtensionTakenException;
import io.voxdesk.extensions.SipDefaults;
import io.voxdesk.extensions.SipServer;
import io.voxdesk.tenants.RememberedValues;
import io.voxdesk.tenants.SecretCipher;
import io.voxdesk.tenants.SecretPurpose;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.UserId;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores the users' extensions: validates them, fills the SIP server in from the tenant's defaults, encrypts the
 * password with the tenant's key, keeps extension numbers unique per tenant, and publishes an
 * {@link ExtensionChanged} for every change (the audit log keeps them).
 */
@Service
class ExtensionWorkflow {

	/** Bound into every stored password, so a ciphertext stored for another purpose cannot be replayed here. */
	static final SecretPurpose PASSWORD = SecretPurpose.of("extensions.sip-password");

	private static final Logger log = LoggerFactory.getLogger(ExtensionWorkflow.class);

	private final Extensions extensions;

	private final SecretCipher cipher;

	private final TenantContext context;

	private final ObjectProvider<SipDefaults> sipDefaults;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final RememberedValues<LineOwner, AgentLine> lines;

	ExtensionWorkflow(Extensions extensions, SecretCipher cipher, TenantContext context,
			ObjectProvider<SipDefaults> sipDefaults, ApplicationEventPublisher events, Optional<Clock> clock,
			RememberedValues<LineOwner, AgentLine> lines) {
		this.lines = lines;
		this.extensions = extensions;
		this.cipher = cipher;
		this.context = context;
		this.sipDefaults = sipDefaults;
		this.events = events;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/** Not transactional: a remembered line needs no database connection. */
	public Optional<AgentLine> activeLineOf(UserId user) {
		return lines.get(new LineOwner(context.currentTenant(), user),
				() -> extensions.findByOwner(user.value()).filter(Extension::active).map(Extension::toLine));
	}

	@Transactional(readOnly = true)
	public Optional<ExtensionDetails> find(UserId owner) {
		return extensions.findByOwner(owner.value()).map(Extension::toDetails);
	}

	@Transactional(readOnly = true)
	public Optional<UserId> ownerOf(String extension) {
		return extensions.findByNumber(extension).map(Extension::owner);
	}

	@Transactional(readOnly = true)
	public List<ExtensionSummary> list() {
		return extensions.findAllInOrder().stream().map(Extension::toSummary).toList();
	}

	@Transactional(readOnly = true)
	public Optional<SipServer> defaults() {
		var provider = sipDefaults.getIfAvailable();
		return provider == null ? Optional.empty() : provider.defaultsForCurrentTenant();
	}

	@Transactional
	public ExtensionDetails save(UserId owner, ExtensionDraft draft) {
		var number = draft.extension().strip();
		ExtensionRules.checkExtension(number);
		var givenUsername = blankToNull(draft.username());
		var username = givenUsername == null ? number : givenUsername;
		ExtensionRules.checkUsername(username);
		var domain = blankToNull(draft.domain());
		if (domain != null) {
			ExtensionRules.checkDomain(domain);
		}
		var websocketUrl = blankToNull(draft.websocketUrl());
		if (websocketUrl != null) {
			ExtensionRules.checkWebsocketUrl(websocketUrl);
		}
		var displayName = blankToNull(draft.displayName());
		if (displayName != null) {
			ExtensionRules.checkDisplayName(displayName);
		}
		var password = draft.password() == null || draft.password().isEmpty() ? null : draft.password();
		if (password != null) {
			ExtensionRules.checkPassword(password);
		}
		extensions.findByNumber(number).filter(other -> !other.owner().equals(owner)).ifPresent(other -> {
			throw new ExtensionTakenException(number);
		});
		if (domain == null || websocketUrl == null) {
			var server = defaults();
			domain = firstOf(domain, server.map(SipServer::domain).orElse(null));
			websocketUrl = firstOf(websocketUrl, server.map(SipServer::websocketUrl).orElse(null));
		}

		var now = clock.instant();
		var existing = extensions.findByOwner(owner.value());
		var record = existing.orElseGet(() -> new Extension(owner));
		var changes = new ArrayList<String>();
		if (existing.isEmpty()) {
			changes.add("created");
		}
		else {
			if (record.differs(number, username, domain, websocketUrl, displayName)) {
				changes.add("updated");
			}
			if (record.active() != draft.active()) {
				changes.add(draft.active() ? "activated" : "deactivated");
			}
		}
		if (!changes.isEmpty()) {
			record.change(number, username, domain, websocketUrl, displayName, draft.active(), now);
		}
		if (password != null) {
			record.changePassword(cipher.encrypt(PASSWORD, password), now);
			if (existing.isPresent()) {
				changes.add("password-changed");
			}
		}
		extensions.saveAndFlush(record);
		var tenant = context.currentTenant();
		lines.forgetAfterCommit(new LineOwner(tenant, owner));
		for (var change : changes) {
			events.publishEvent(new ExtensionChanged(tenant, owner, number, change, context.actor(), now));
		}
		if (!changes.isEmpty()) {
			log.info("Extension {} of user {} saved: {}", number, owner, changes);
		}
		return record.toDetails();
	}

	/**
	 * The owner's webphone settings with the password decrypted. Package-private on purpose: only this module's
	 * REST API, which answers the owner alone, may ask for a password.
	 */
	@Transactional(readOnly = true)
	WebphoneSettings webphone(UserId owner, String ownerName) {
		var record = extensions.findByOwner(owner.value()).orElseThrow(ExtensionNotFoundException::new);
		if (!record.active()) {
			throw ExtensionRules.notUsable("extension-inactive", "Extension inactive", "Your extension " + record.extension()
					+ " is inactive: activate it in your phone settings to use the webphone.");
		}
		var ciphertext = record.password();
		if (ciphertext == null) {
			throw ExtensionRules.notUsable("no-sip-password", "No SIP password", "Your extension " + record.extension()
					+ " has no SIP password yet: set one in your phone settings.");
		}
		var domain = record.domain();
		var websocketUrl = record.websocketUrl();
		if (domain == null || websocketUrl == null) {
			var server = defaults();
			domain = firstOf(domain, server.map(SipServer::domain).orElse(null));
			websocketUrl = firstOf(websocketUrl, server.map(SipServer::websocketUrl).orElse(null));
		}
		if (domain == null || websocketUrl == null) {
			throw ExtensionRules.notUsable("no-sip-server", "No SIP server", "Your extension " + record.extension()
					+ " has no SIP domain or WebSocket server, and your organization's provider connection does not "
					+ "suggest one: set them in your phone settings.");
		}
		var password = cipher.decrypt(PASSWORD, ciphertext);
		log.info("Webphone settings of extension {} given to its owner {}", record.extension(), owner);
		return new WebphoneSettings("sip:" + record.username() + "@" + domain, record.username(), password, domain,
				websocketUrl, record.displayName() == null ? ownerName : record.displayName(), record.extension());
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}

	private static @Nullable String firstOf(@Nullable String value, @Nullable String fallback) {
		return value != null ? value : fallback;
	}
}
