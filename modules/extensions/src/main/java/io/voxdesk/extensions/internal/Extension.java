package io.voxdesk.extensions.internal;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import io.voxdesk.extensions.AgentLine;
import io.voxdesk.extensions.ExtensionDetails;
import io.voxdesk.extensions.ExtensionSummary;
import io.voxdesk.tenants.UserId;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/** A user's stored extension; the password column holds the tenant's ciphertext, never the password. */
@Entity
@Table(name = "extensions")
class Extension {

	@Id
	private UUID id;

	@TenantId
	@Column(name = "tenant_id")
	private @Nullable String tenantId;

	@Column(name = "user_id")
	private String userId;

	private String extension;

	private String username;

	private @Nullable String password;

	private @Nullable String domain;

	@Column(name = "websocket_url")
	private @Nullable String websocketUrl;

	@Column(name = "display_name")
	private @Nullable String displayName;

	private boolean active;

	@Column(name = "updated_at")
	private Instant updatedAt;

	@Version
	private @Nullable Long version;

	protected Extension() {
		this.id = new UUID(0, 0);
		this.userId = "";
		this.extension = "";
		this.username = "";
		this.updatedAt = Instant.EPOCH;
	}

	Extension(UserId owner) {
		this();
		this.id = UUID.randomUUID();
		this.userId = owner.value();
	}

	/** Whether these values differ from the stored ones (the active flag and the password aside). */
	boolean differs(String extension, String username, @Nullable String domain, @Nullable String websocketUrl,
			@Nullable String displayName) {
		return !this.extension.equals(extension) || !this.username.equals(username)
				|| !Objects.equals(this.domain, domain) || !Objects.equals(this.websocketUrl, websocketUrl)
				|| !Objects.equals(this.displayName, displayName);
	}

	void change(String extension, String username, @Nullable String domain, @Nullable String websocketUrl,
			@Nullable String displayName, boolean active, Instant now) {
		this.extension = extension;
		this.username = username;
		this.domain = domain;
		this.websocketUrl = websocketUrl;
		this.displayName = displayName;
		this.active = active;
		this.updatedAt = now;
	}

	void changePassword(String ciphertext, Instant now) {
		this.password = ciphertext;
		this.updatedAt = now;
	}

	UserId owner() {
		return UserId.of(userId);
	}

	String extension() {
		return extension;
	}

	String username() {
		return username;
	}

	@Nullable String password() {
		return password;
	}

	@Nullable String domain() {
		return domain;
	}

	@Nullable String websocketUrl() {
		return websocketUrl;
	}

	@Nullable String displayName() {
		return displayName;
	}

	boolean active() {
		return active;
	}

	ExtensionDetails toDetails() {
		return new ExtensionDetails(extension, username, domain, websocketUrl, displayName, active, password != null,
				updatedAt);
	}

	ExtensionSummary toSummary() {
		return new ExtensionSummary(owner(), extension, displayName, active, password != null, updatedAt);
	}

	AgentLine toLine() {
		return new AgentLine(owner(), extension, username, domain);
	}
}
