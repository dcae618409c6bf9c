package io.voxdesk.calls.internal;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.voxdesk.calls.ProviderConnectionDetails;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.calls.ProviderKind;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** A stored provider connection; the secret column holds ciphertext only. */
@Entity
@Table(name = "provider_connections")
class ProviderConnectionRecord {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Id
	private UUID id;

	@TenantId
	@Column(name = "tenant_id")
	private @Nullable String tenantId;

	private String kind;

	private String name;

	private boolean enabled;

	/** JSON object of strings. */
	@Column(columnDefinition = "jsonb")
	@ColumnTransformer(write = "cast(? as jsonb)")
	private String settings;

	private String secret;

	@Column(name = "created_at")
	private Instant createdAt;

	@Column(name = "updated_at")
	private Instant updatedAt;

	@Version
	private @Nullable Long version;

	protected ProviderConnectionRecord() {
		this.id = new UUID(0, 0);
		this.kind = "";
		this.name = "";
		this.settings = "{}";
		this.secret = "";
		this.createdAt = Instant.EPOCH;
		this.updatedAt = Instant.EPOCH;
	}

	ProviderConnectionRecord(ProviderConnectionId id, ProviderKind kind, Instant now) {
		this();
		this.id = id.value();
		this.kind = kind.code();
		this.createdAt = now;
		this.updatedAt = now;
	}

	void change(String name, boolean enabled, Map<String, String> settings, Instant now) {
		this.name = name;
		this.enabled = enabled;
		this.settings = JSON.writeValueAsString(settings);
		this.updatedAt = now;
	}

	void changeSecret(String ciphertext) {
		this.secret = ciphertext;
	}

	ProviderConnectionId id() {
		return ProviderConnectionId.of(id);
	}

	ProviderKind kind() {
		return ProviderKind.of(kind);
	}

	String name() {
		return name;
	}

	boolean enabled() {
		return enabled;
	}

	String secret() {
		return secret;
	}

	Map<String, String> settings() {
		return JSON.readValue(settings, new TypeReference<Map<String, String>>() {
		});
	}

	ProviderConnectionDetails toDetails() {
		return new ProviderConnectionDetails(id(), kind(), name, enabled, settings(), !secret.isEmpty(), createdAt,
				updatedAt);
	}
}
