package io.voxdesk.contacts.internal.imports;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import io.voxdesk.contacts.ContactImportId;
import io.voxdesk.contacts.ContactImportRequested;
import io.voxdesk.tenants.TenantContext;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Accepts an uploaded file after checking it can be imported at all, and queues its import. */
@Component
class ContactImportService {

	private final ContactImports imports;

	private final TenantContext context;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	ContactImportService(ContactImports imports, TenantContext context, ApplicationEventPublisher events,
			Optional<Clock> clock) {
		this.imports = imports;
		this.context = context;
		this.events = events;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/**
	 * @throws ImportRefusedException if the file is empty, has no usable header or no data rows.
	 */
	@Transactional
	UUID submit(String fileName, byte[] content, String mapping) {
		if (content.length == 0) {
			throw new ImportRefusedException("The file is empty.");
		}
		var decoded = ImportFormat.decoded(content);
		var format = ImportFormat.of(decoded, ImportController.parseMapping(mapping));
		var total = ContactImportJob.countRows(decoded.text(), format.delimiter());
		if (total == 0) {
			throw new ImportRefusedException("The file has a header but no data rows.");
		}
		var id = UUID.randomUUID();
		var tenant = context.currentTenant();
		imports.create(id, tenant, fileName, content, ImportController.formatMapping(format), total,
				context.actor().subject(), clock.instant());
		events.publishEvent(new ContactImportRequested(tenant, ContactImportId.of(id)));
		return id;
	}
}
