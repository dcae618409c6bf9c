package io.voxdesk.tenants.internal;

import java.time.Instant;

import io.voxdesk.tenants.TenantDetails;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantStatus;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.jspecify.annotations.Nullable;

/** A tenant in the registry. */
@Entity
@Table(name = "tenants")
class Tenant {

	@Id
	private String id;

	private String name;

	@Enumerated(EnumType.STRING)
	private TenantStatus status;

	@Column(name = "default_region")
	private String defaultRegion;

	@Column(name = "created_at")
	private Instant createdAt;

	@Column(name = "created_by")
	private String createdBy;

	@Column(name = "deactivated_at")
	private @Nullable Instant deactivatedAt;

	@Version
	private @Nullable Long version;

	protected Tenant() {
		this.id = "";
		this.name = "";
		this.status = TenantStatus.ACTIVE;
		this.defaultRegion = TenantDetails.DEFAULT_REGION;
		this.createdAt = Instant.EPOCH;
		this.createdBy = "";
	}

	public Tenant(TenantId id, String name, String defaultRegion, String createdBy, Instant createdAt) {
		this.id = id.value();
		this.name = name;
		this.status = TenantStatus.ACTIVE;
		this.defaultRegion = defaultRegion;
		this.createdAt = createdAt;
		this.createdBy = createdBy;
	}

	/** @return whether this call changed the status. */
	public boolean deactivate(Instant at) {
		if (status == TenantStatus.DEACTIVATED) {
			return false;
		}
		status = TenantStatus.DEACTIVATED;
		deactivatedAt = at;
		return true;
	}

	/** @return whether this call changed the status. */
	public boolean reactivate() {
		if (status == TenantStatus.ACTIVE) {
			return false;
		}
		status = TenantStatus.ACTIVE;
		deactivatedAt = null;
		return true;
	}

	public TenantDetails toDetails() {
		return new TenantDetails(TenantId.of(id), name, status, defaultRegion, createdAt, deactivatedAt);
	}
}
