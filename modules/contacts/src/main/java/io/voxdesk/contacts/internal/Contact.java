package io.voxdesk.contacts.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import io.voxdesk.contacts.ContactDetails;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.contacts.ContactPhone;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/** A contact of a tenant with its phone numbers. */
@Entity
@Table(name = "contacts")
public class Contact {

	static final int CUSTOM_FIELDS = 5;

	@Id
	private UUID id;

	@TenantId
	@Column(name = "tenant_id")
	private @Nullable String tenantId;

	private String name;

	private @Nullable String email;

	private @Nullable String custom1;

	private @Nullable String custom2;

	private @Nullable String custom3;

	private @Nullable String custom4;

	private @Nullable String custom5;

	private String[] tags;

	@OneToMany(mappedBy = "contact", cascade = CascadeType.ALL, orphanRemoval = true)
	private List<PhoneEntry> phones = new ArrayList<>();

	@Column(name = "created_at")
	private Instant createdAt;

	@Column(name = "updated_at")
	private Instant updatedAt;

	@Version
	private @Nullable Long version;

	protected Contact() {
		this.id = new UUID(0, 0);
		this.name = "";
		this.tags = new String[0];
		this.createdAt = Instant.EPOCH;
		this.updatedAt = Instant.EPOCH;
	}

	Contact(ContactId id, Instant now) {
		this();
		this.id = id.value();
		this.createdAt = now;
		this.updatedAt = now;
	}

	public ContactId id() {
		return ContactId.of(id);
	}

	/** Replaces everything but the id with what a validated draft says. */
	void apply(String name, List<ParsedPhone> numbers, @Nullable String email, List<@Nullable String> custom,
			List<String> tags, Instant now) {
		this.name = name;
		this.email = email;
		this.custom1 = custom.size() > 0 ? custom.get(0) : null;
		this.custom2 = custom.size() > 1 ? custom.get(1) : null;
		this.custom3 = custom.size() > 2 ? custom.get(2) : null;
		this.custom4 = custom.size() > 3 ? custom.get(3) : null;
		this.custom5 = custom.size() > 4 ? custom.get(4) : null;
		this.tags = tags.toArray(String[]::new);
		phones.removeIf(existing -> numbers.stream().noneMatch(n -> n.e164().equals(existing.e164())));
		for (var position = 0; position < numbers.size(); position++) {
			var number = numbers.get(position);
			var existing = phones.stream().filter(p -> p.e164().equals(number.e164())).findFirst();
			if (existing.isPresent()) {
				existing.get().update(position, number.raw(), number.label());
			}
			else {
				phones.add(new PhoneEntry(this, position, number.e164(), number.raw(), number.label()));
			}
		}
		this.updatedAt = now;
	}

	public ContactDetails toDetails() {
		var numbers = phones.stream()
			.sorted(Comparator.comparingInt(PhoneEntry::position))
			.map(PhoneEntry::toPhone)
			.toList();
		return new ContactDetails(id(), name, numbers, email,
				Arrays.asList(custom1, custom2, custom3, custom4, custom5), List.of(tags), createdAt, updatedAt);
	}

	/** A phone number after parsing. */
	record ParsedPhone(String e164, String raw, @Nullable String label) {
	}
}
