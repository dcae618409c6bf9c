package io.voxdesk.audio.internal;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import io.voxdesk.audio.AudioDetails;
import io.voxdesk.audio.AudioFormat;
import io.voxdesk.audio.AudioId;
import io.voxdesk.audio.AudioKind;
import io.voxdesk.audio.AudioSource;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/** An item of a tenant's audio library; its sound is in the audio store under {@link #storageKey}. */
@Entity
@Table(name = "audio_items")
class AudioItem {

	@Id
	private UUID id;

	@TenantId
	@Column(name = "tenant_id")
	private @Nullable String tenantId;

	private String name;

	private String kind;

	private String source;

	private @Nullable String format;

	@Column(name = "duration_ms")
	private long durationMillis;

	@Column(name = "size_bytes")
	private long sizeBytes;

	@Column(name = "storage_key")
	private String storageKey;

	private @Nullable String text;

	private @Nullable String language;

	@Column(name = "synthesis_key")
	private @Nullable String synthesisKey;

	@Column(name = "created_by")
	private String createdBy;

	@Column(name = "created_at")
	private Instant createdAt;

	protected AudioItem() {
		this.id = new UUID(0, 0);
		this.name = "";
		this.kind = "";
		this.source = "";
		this.storageKey = "";
		this.createdBy = "";
		this.createdAt = Instant.EPOCH;
	}

	private AudioItem(AudioId id, String name, AudioKind kind, AudioSource source, String storageKey, long durationMillis,
			long sizeBytes, String createdBy, Instant createdAt) {
		this();
		this.id = id.value();
		this.name = name;
		this.kind = kind.value();
		this.source = source.value();
		this.storageKey = storageKey;
		this.durationMillis = durationMillis;
		this.sizeBytes = sizeBytes;
		this.createdBy = createdBy;
		this.createdAt = createdAt;
	}

	static AudioItem uploaded(AudioId id, String name, AudioKind kind, AudioFormat format, String storageKey,
			long durationMillis, long sizeBytes, String createdBy, Instant createdAt) {
		var item = new AudioItem(id, name, kind, AudioSource.UPLOAD, storageKey, durationMillis, sizeBytes, createdBy,
				createdAt);
		item.format = format.value();
		return item;
	}

	static AudioItem spoken(AudioId id, String name, AudioKind kind, String text, String language, String synthesisKey,
			String storageKey, long durationMillis, long sizeBytes, String createdBy, Instant createdAt) {
		var item = new AudioItem(id, name, kind, AudioSource.SPEECH, storageKey, durationMillis, sizeBytes, createdBy,
				createdAt);
		item.text = text;
		item.language = language;
		item.synthesisKey = synthesisKey;
		return item;
	}

	AudioId id() {
		return AudioId.of(id);
	}

	String name() {
		return name;
	}

	String storageKey() {
		return storageKey;
	}

	AudioDetails toDetails() {
		return new AudioDetails(id(), name, AudioKind.of(kind), source.equals("speech") ? AudioSource.SPEECH
				: AudioSource.UPLOAD, format == null ? null : AudioFormat.valueOf(format.toUpperCase(Locale.ROOT)),
				durationMillis, sizeBytes, text, language, createdBy, createdAt);
	}
}
