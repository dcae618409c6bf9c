package io.voxdesk.tenants.internal;

import java.time.Clock;
import java.util.Optional;

import io.voxdesk.tenants.RememberedValues;
import io.voxdesk.tenants.TenantAlreadyExistsException;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantCreated;
import io.voxdesk.tenants.TenantDeactivated;
import io.voxdesk.tenants.TenantDetails;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantKeyRotated;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.tenants.TenantNotFoundException;
import io.voxdesk.tenants.TenantReactivated;
import io.voxdesk.tenants.TenantStatus;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The {@link TenantManagement} of this module, which the root package only declares. */
@Service
class DefaultTenantManagement implements TenantManagement {

	private final Tenants tenants;

	private final TenantContext context;

	private final EnvelopeSecretCipher cipher;

	private final ApplicationEventPublisher events;

	private final RememberedValues<TenantId, TenantDetails> statuses;

	private final Clock clock;

	DefaultTenantManagement(Tenants tenants, TenantContext context, EnvelopeSecretCipher cipher,
			ApplicationEventPublisher events, RememberedValues<TenantId, TenantDetails> statuses, Optional<Clock> clock) {
		this.tenants = tenants;
		this.context = context;
		this.cipher = cipher;
		this.events = events;
		this.statuses = statuses;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	@Override
	@Transactional
	public TenantDetails create(TenantId id, String name) {
		return create(id, name, TenantDetails.DEFAULT_REGION);
	}

	@Override
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

	@Override
	@Transactional(readOnly = true)
	public Optional<TenantDetails> find(TenantId id) {
		return tenants.findById(id.value()).map(Tenant::toDetails);
	}

	@Override
	public Optional<TenantStatus> status(TenantId id) {
		if (!context.isPlatform() && !context.currentTenant().equals(id)) {
			return Optional.empty();
		}
		return remembered(id).map(TenantDetails::status);
	}

	@Override
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

	@Override
	@Transactional(readOnly = true)
	public Page<TenantDetails> list(Pageable page) {
		return tenants.findAll(page).map(Tenant::toDetails);
	}

	@Override
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

	@Override
	@Transactional
	public TenantDetails reactivate(TenantId id) {
		var tenant = load(id);
		statuses.forgetAfterCommit(id);
		if (tenant.reactivate()) {
			events.publishEvent(new TenantReactivated(id, context.actor(), clock.instant()));
		}
		return tenant.toDetails();
	}

	@Override
	@Transactional
	public int rotateDataKey(TenantId id) {
		load(id);
		var actor = context.actor();
		var version = context.callAs(id, cipher::rotate);
		events.publishEvent(new TenantKeyRotated(id, version, actor, clock.instant()));
		return version;
	}

	@Override
	public RewrapReport rewrapAllUnderActiveMasterKey() {
		var ids = tenants.findAll().stream().map(tenant -> tenant.toDetails().id()).toList();
		var rewrapped = 0;
		for (var id : ids) {
			rewrapped += context.callAs(id, cipher::rewrapUnderActiveMasterKey);
		}
		return new RewrapReport(ids.size(), rewrapped);
	}

	private Tenant load(TenantId id) {
		return tenants.findById(id.value()).orElseThrow(() -> new TenantNotFoundException(id));
	}
}
