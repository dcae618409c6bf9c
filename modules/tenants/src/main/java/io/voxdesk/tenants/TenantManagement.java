package io.voxdesk.tenants;

import java.time.Clock;
import java.util.Optional;

import io.voxdesk.tenants.internal.EnvelopeSecretCipher;
import io.voxdesk.tenants.internal.Tenant;
import io.voxdesk.tenants.internal.Tenants;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, lists, deactivates and reactivates tenants, and rotates their data keys. */
@Service
public class TenantManagement {

	private final Tenants tenants;

	private final TenantContext context;

	private final EnvelopeSecretCipher cipher;

	private final ApplicationEventPublisher events;

	private final RememberedValues<TenantId, TenantDetails> statuses;

	private final Clock clock;

	TenantManagement(Tenants tenants, TenantContext context, EnvelopeSecretCipher cipher,
			ApplicationEventPublisher events, RememberedValues<TenantId, TenantDetails> statuses, Optional<Clock> clock) {
		this.tenants = tenants;
		this.context = context;
		this.cipher = cipher;
		this.events = events;
		this.statuses = statuses;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/** Registers a tenant reading national numbers as Brazilian; platform scope. */
	@Transactional
	public TenantDetails create(TenantId id, String name) {
		return create(id, name, TenantDetails.DEFAULT_REGION);
	}

	/**
	 * Registers a tenant; platform scope.
	 *
	 * @param defaultRegion ISO 3166 alpha-2 region for national phone numbers, such as {@code BR}.
	 * @throws TenantAlreadyExistsException if the id is taken.
	 */
	@Transactional
	public TenantDetails create(TenantId id, String name, String defaultRegion) {
		if (tenants.existsById(id.value())) {
			throw new TenantAlreadyExistsException(id);
		}
		var actor = context.actor();
		var now = clock.instant();
		var tenant = tenants.save(new Tenant(id, name, defaultRegion, actor.subject(), now));
		statuses.forgetAfterCommit(id);
		events.publishEvent(new TenantCreated(id, actor, now));
		return tenant.toDetails();
	}

	/** The tenant with this id, if the current scope may see it (the platform, or the tenant itself). */
	@Transactional(readOnly = true)
	public Optional<TenantDetails> find(TenantId id) {
		return tenants.findById(id.value()).map(Tenant::toDetails);
	}

	/**
	 * The tenant's status, if the current scope may see the tenant (the platform, or the tenant itself); for checks
	 * on every request. It may be a few seconds old ({@code voxdesk.tenants.status-cache-time}) when another
	 * instance changed it, and is current after changes made through this one.
	 *
	 * @throws NoTenantBoundException if neither a tenant nor the platform scope is bound.
	 */
	public Optional<TenantStatus> status(TenantId id) {
		if (!context.isPlatform() && !context.currentTenant().equals(id)) {
			return Optional.empty();
		}
		return remembered(id).map(TenantDetails::status);
	}

	/**
	 * The tenant's region for national phone numbers, if the current scope may see the tenant; for work done on
	 * every request, like {@link #status(TenantId)}.
	 *
	 * @throws NoTenantBoundException if neither a tenant nor the platform scope is bound.
	 */
	public Optional<String> defaultRegion(TenantId id) {
		if (!context.isPlatform() && !context.currentTenant().equals(id)) {
			return Optional.empty();
		}
		return remembered(id).map(TenantDetails::defaultRegion);
	}

	private Optional<TenantDetails> remembered(TenantId id) {
		// No transaction here, so a remembered tenant costs no connection; the repository reads in its own.
		return statuses.get(id, () -> tenants.findById(id.value()).map(Tenant::toDetails));
	}

	/** Every tenant, a page at a time; platform scope. */
	@Transactional(readOnly = true)
	public Page<TenantDetails> list(Pageable page) {
		return tenants.findAll(page).map(Tenant::toDetails);
	}

	/** Refuses the tenant's users from their next request on; deactivating twice changes nothing. */
	@Transactional
	public TenantDetails deactivate(TenantId id) {
		var tenant = load(id);
		// Even when unchanged here: another instance may have changed it, and this one may remember the old status.
		statuses.forgetAfterCommit(id);
		var now = clock.instant();
		if (tenant.deactivate(now)) {
			events.publishEvent(new TenantDeactivated(id, context.actor(), now));
		}
		return tenant.toDetails();
	}

	/** Lets a deactivated tenant's users back in; reactivating an active tenant changes nothing. */
	@Transactional
	public TenantDetails reactivate(TenantId id) {
		var tenant = load(id);
		statuses.forgetAfterCommit(id);
		if (tenant.reactivate()) {
			events.publishEvent(new TenantReactivated(id, context.actor(), clock.instant()));
		}
		return tenant.toDetails();
	}

	/**
	 * Gives the tenant a new data-key version: new secrets use it, existing ones keep decrypting.
	 *
	 * @return the new version.
	 */
	@Transactional
	public int rotateDataKey(TenantId id) {
		load(id);
		var actor = context.actor();
		var version = context.callAs(id, cipher::rotate);
		events.publishEvent(new TenantKeyRotated(id, version, actor, clock.instant()));
		return version;
	}

	/**
	 * Re-wraps every tenant's data keys under the active master key, one tenant per transaction, so a
	 * retired master key can be removed from configuration afterwards. Safe to run again; platform scope.
	 *
	 * @return how many tenants were visited and how many keys were re-wrapped.
	 */
	public RewrapReport rewrapAllUnderActiveMasterKey() {
		var ids = tenants.findAll().stream().map(tenant -> tenant.toDetails().id()).toList();
		var rewrapped = 0;
		for (var id : ids) {
			rewrapped += context.callAs(id, cipher::rewrapUnderActiveMasterKey);
		}
		return new RewrapReport(ids.size(), rewrapped);
	}

	/** What a master-key re-wrap did. */
	public record RewrapReport(int tenants, int keysRewrapped) {
	}

	private Tenant load(TenantId id) {
		return tenants.findById(id.value()).orElseThrow(() -> new TenantNotFoundException(id));
	}
}
