package io.voxdesk.contacts.internal;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.contacts.ContactDetails;
import io.voxdesk.contacts.ContactDraft;
import io.voxdesk.contacts.ContactId;
import io.voxdesk.contacts.ContactManagement;
import io.voxdesk.contacts.ContactNotFoundException;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.data.web.PagedModel;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** REST API of the current tenant's contacts, for its agents and admins. */
@RestController
@RequestMapping("/api/contacts")
@PreAuthorize("hasAnyRole('agent', 'tenant-admin')")
class ContactController {

	private final ContactManagement contacts;

	ContactController(ContactManagement contacts) {
		this.contacts = contacts;
	}

	@PostMapping
	ResponseEntity<ContactDetails> create(@Valid @RequestBody ContactRequest request) {
		var created = contacts.create(request.toDraft());
		return ResponseEntity.created(URI.create("/api/contacts/" + created.id())).body(created);
	}

	@GetMapping("/{id}")
	ContactDetails get(@PathVariable UUID id) {
		return contacts.find(ContactId.of(id)).orElseThrow(() -> new ContactNotFoundException(id.toString()));
	}

	@PutMapping("/{id}")
	ContactDetails update(@PathVariable UUID id, @Valid @RequestBody ContactRequest request) {
		return contacts.update(ContactId.of(id), request.toDraft());
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		contacts.delete(ContactId.of(id));
		return ResponseEntity.noContent().build();
	}

	/** Search by name, email or number fragment; {@code sort} by name, createdAt or updatedAt. */
	@GetMapping
	PagedModel<ContactDetails> search(@RequestParam(defaultValue = "") @Size(max = 200) String q,
			@PageableDefault(size = 50, sort = "name", direction = Sort.Direction.ASC) Pageable page) {
		return new PagedModel<>(contacts.search(q, page));
	}

	/** The contact owning a phone number, written in any common format. */
	@GetMapping("/lookup")
	ContactDetails lookup(@RequestParam @NotBlank @Size(max = 40) String phone) {
		return contacts.findByPhone(phone)
			.orElseThrow(() -> new ContactNotFoundException("with the number " + phone));
	}

	/** A contact as sent by a client. */
	@Schema(example = """
			{"name": "Maria Souza", "phones": [{"number": "(48) 3332-8530", "label": "office"},
			 {"number": "+55 48 99988-7766", "label": "mobile"}], "email": "maria@example.com",
			 "customFields": ["Gold plan", null, "Florianópolis"], "tags": ["vip", "billing"]}""")
	record ContactRequest(@NotBlank @Size(max = 200) String name,
			@Nullable @Size(max = 10) List<@NotNull @Valid PhoneRequest> phones,
			@Nullable @Email @Size(max = 254) String email,
			@Nullable @Size(max = 5) List<@Nullable @Size(max = 500) String> customFields,
			@Nullable @Size(max = 20) List<@NotBlank @Size(max = 50) String> tags) {

		ContactDraft toDraft() {
			return new ContactDraft(name,
					phones == null ? List.of() : phones.stream().map(p -> new ContactDraft.PhoneDraft(p.number(), p.label())).toList(),
					email, customFields == null ? List.of() : customFields, tags == null ? List.of() : tags);
		}
	}

	/** A phone number as sent by a client, in any common format; national ones are read in the tenant's region. */
	@Schema(example = """
			{"number": "048 3332 8530", "label": "office"}""")
	record PhoneRequest(@NotBlank @Size(max = 40) String number, @Nullable @Size(max = 40) String label) {
	}
}
