package io.voxdesk.contacts.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

import io.voxdesk.contacts.ContactCreated;
import io.voxdesk.contacts.ContactDraft;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.contacts.ContactUpdated;
import io.voxdesk.contacts.PhoneNumberTakenException;
import io.voxdesk.tenants.TenantContext;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Turns drafts into stored contacts: parses numbers, enforces one owner per number, publishes events. */
@Component
class ContactWriter {

	private final Contacts contacts;

	private final PhoneNumbers numbers;

	private final TenantContext context;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	ContactWriter(Contacts contacts, PhoneNumbers numbers, TenantContext context, ApplicationEventPublisher events,
			Optional<Clock> clock) {
		this.contacts = contacts;
		this.numbers = numbers;
		this.context = context;
		this.events = events;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	public Contact create(ContactDraft draft, String region) {
		var contact = new Contact(ContactId.random(), clock.instant());
		apply(contact, draft, region);
		contacts.save(contact);
		events.publishEvent(new ContactCreated(context.currentTenant(), contact.id()));
		return contact;
	}

	public Contact update(Contact contact, ContactDraft draft, String region) {
		apply(contact, draft, region);
		events.publishEvent(new ContactUpdated(context.currentTenant(), contact.id()));
		return contact;
	}

	private void apply(Contact contact, ContactDraft draft, String region) {
		var parsed = new LinkedHashMap<String, Contact.ParsedPhone>();
		for (var i = 0; i < draft.phones().size(); i++) {
			var phone = draft.phones().get(i);
			var e164 = numbers.toE164("phones[" + i + "].number", phone.number(), region);
			parsed.putIfAbsent(e164, new Contact.ParsedPhone(e164, phone.number().strip(), blankToNull(phone.label())));
			var owner = contacts.findIdByPhone(e164);
			if (owner.isPresent() && !owner.get().equals(contact.id().value())) {
				throw new PhoneNumberTakenException(e164, ContactId.of(owner.get()));
			}
		}
		var custom = new ArrayList<@Nullable String>();
		draft.customFields().stream().limit(Contact.CUSTOM_FIELDS).forEach(value -> custom.add(blankToNull(value)));
		var tags = draft.tags().stream().map(String::strip).filter(tag -> !tag.isEmpty()).distinct().toList();
		contact.apply(draft.name().strip(), List.copyOf(parsed.values()), blankToNull(draft.email()), custom, tags,
				clock.instant());
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}
}
