package io.voxdesk.serviceaccounts.internal;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.voxdesk.serviceaccounts.ServiceAccountChanged;
import io.voxdesk.serviceaccounts.ServiceAccountId;
import io.voxdesk.serviceaccounts.ServiceAccountsSettings;
import io.voxdesk.serviceaccounts.internal.ServiceAccounts.Account;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantMember;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

/**
 * A tenant's service accounts: each one a Keycloak client made by Voxdesk, whose secret is shown once at creation and
 * at each rotation. Keycloak is called outside any database transaction; a client whose row could not be written is
 * removed again.
 */
@Service
class ServiceAccountRegistry {

	/** The roles a service account may be given: never a platform operator's. */
	static final Set<String> ROLES = Set.of(TenantMember.AGENT, TenantMember.TENANT_ADMIN);

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Logger log = LoggerFactory.getLogger(ServiceAccountRegistry.class);

	private final ServiceAccounts accounts;

	private final KeycloakClientsAdapter keycloak;

	private final TenantContext context;

	private final ServiceAccountsSettings settings;

	private final TransactionTemplate transactions;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	ServiceAccountRegistry(ServiceAccounts accounts, KeycloakClientsAdapter keycloak, TenantContext context,
			ServiceAccountsSettings settings, TransactionTemplate transactions, ApplicationEventPublisher events,
			Optional<Clock> clock) {
		this.accounts = accounts;
		this.keycloak = keycloak;
		this.context = context;
		this.settings = settings;
		this.transactions = transactions;
		this.events = events;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/** Creates the account in Keycloak and here; the answer carries its secret, which is never shown again. */
	ServiceAccountWithSecret create(String name, List<String> roles) {
		var chosen = roles(roles);
		if (accounts.count() >= settings.maxPerTenant()) {
			throw problem(HttpStatus.CONFLICT, "Too many service accounts", "This tenant has " + settings.maxPerTenant()
					+ " service accounts, the most it may have; delete one it no longer uses first.");
		}
		var tenant = context.currentTenant();
		var clientId = settings.clientIdPrefix() + tenant.value() + "-" + HexFormat.of().formatHex(randomBytes());
		var created = keycloak.create(clientId, name.strip(), tenant, chosen);
		var now = clock.instant();
		var account = new Account(ServiceAccountId.of(UUID.randomUUID()), tenant, clientId, created.keycloakId(),
				name.strip(), chosen, now, context.actor().username(), now);
		try {
			transactions.executeWithoutResult(status -> {
				accounts.insert(account);
				changed(account, "created");
			});
		}
		catch (RuntimeException e) {
			keycloak.deleteQuietly(created.keycloakId());
			throw e;
		}
		return new ServiceAccountWithSecret(details(account), created.secret());
	}

	List<ServiceAccountDetails> list() {
		return accounts.all().stream().map(this::details).toList();
	}

	ServiceAccountDetails get(ServiceAccountId id) {
		return details(account(id));
	}

	/** A new secret; the previous one stops working at once, so the host switches in the same step. */
	ServiceAccountWithSecret rotate(ServiceAccountId id) {
		var account = account(id);
		var secret = keycloak.rotateSecret(account.keycloakId());
		var now = clock.instant();
		try {
			transactions.executeWithoutResult(status -> {
				accounts.secretRotated(id, now);
				changed(account, "secret-rotated");
			});
		}
		catch (RuntimeException e) {
			// The old secret no longer works in Keycloak: the admin must get the new one whatever else failed.
			log.error("Service account {}: the secret was rotated in Keycloak but not recorded here", account.clientId(), e);
		}
		return new ServiceAccountWithSecret(details(accounts.find(id).orElse(account)), secret);
	}

	/** Deletes the client first, so no token can be had once the account is gone from the list. */
	void delete(ServiceAccountId id) {
		var account = account(id);
		keycloak.delete(account.keycloakId());
		transactions.executeWithoutResult(status -> {
			accounts.delete(id);
			changed(account, "deleted");
		});
	}

	private Account account(ServiceAccountId id) {
		return accounts.find(id).orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "Service account not found",
				"This tenant has no service account " + id + "."));
	}

	private void changed(Account account, String change) {
		events.publishEvent(new ServiceAccountChanged(account.tenant(), account.id(), account.clientId(), account.roles(),
				change, context.actor(), clock.instant()));
	}

	private ServiceAccountDetails details(Account account) {
		return new ServiceAccountDetails(account.id(), account.clientId(), account.name(), account.roles(), account.createdAt(),
				account.createdBy(), account.secretRotatedAt(), keycloak.tokenUrl());
	}

	private static Set<String> roles(List<String> roles) {
		var chosen = new LinkedHashSet<String>();
		for (var role : roles) {
			if (role == null || !ROLES.contains(role)) {
				throw problem(HttpStatus.BAD_REQUEST, "Unknown role", "A service account can be given the roles "
						+ String.join(" and ", ROLES.stream().sorted().toList()) + " only, not '" + role + "'.");
			}
			chosen.add(role);
		}
		if (chosen.isEmpty()) {
			throw problem(HttpStatus.BAD_REQUEST, "No role", "Give the service account at least one role (agent or "
					+ "tenant-admin); without one it could not call anything.");
		}
		return chosen;
	}

	private static byte[] randomBytes() {
		var bytes = new byte[4];
		RANDOM.nextBytes(bytes);
		return bytes;
	}

	static ErrorResponseException problem(HttpStatus status, String title, String detail) {
		var problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
	}

	/** A service account as its admins see it: never its secret. */
	record ServiceAccountDetails(ServiceAccountId id, String clientId, String name, Set<String> roles, Instant createdAt,
			String createdBy, Instant secretRotatedAt, URI tokenUrl) {
	}

	/** A service account with its secret, answered once at creation and at each rotation. */
	record ServiceAccountWithSecret(ServiceAccountDetails account, String secret, String note) {

		ServiceAccountWithSecret(ServiceAccountDetails account, String secret) {
			this(account, secret, "Store this secret now: Voxdesk does not keep it and cannot show it again.");
		}
	}
}
