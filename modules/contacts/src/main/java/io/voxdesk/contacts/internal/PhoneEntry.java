package io.voxdesk.contacts.internal;

import java.util.UUID;

import io.voxdesk.contacts.ContactPhone;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/** One phone number of a contact, stored in E.164 next to what was typed. */
@Entity
@Table(name = "contact_phones")
class PhoneEntry {

	@Id
	private UUID id;

	@TenantId
	private @Nullable String tenantId;

	@ManyToOne(fetch = FetchType.LAZY, optional = false)
	@JoinColumn(name = "contact_id")
	private Contact contact;

	private int position;

	private String e164;

	private String raw;

	private @Nullable String label;

	protected PhoneEntry() {
		this.id = new UUID(0, 0);
		this.contact = new Contact();
		this.e164 = "";
		this.raw = "";
	}

	PhoneEntry(Contact contact, int position, String e164, String raw, @Nullable String label) {
		this.id = UUID.randomUUID();
		this.contact = contact;
		this.position = position;
		this.e164 = e164;
		this.raw = raw;
		this.label = label;
	}

	void update(int position, String raw, @Nullable String label) {
		this.position = position;
		this.raw = raw;
		this.label = label;
	}

	String e164() {
		return e164;
	}

	int position() {
		return position;
	}

	ContactPhone toPhone() {
		return new ContactPhone(e164, raw, label);
	}
}
