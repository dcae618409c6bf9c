package io.voxdesk.contacts.internal.imports;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import io.voxdesk.contacts.ContactImportId;
import io.voxdesk.contacts.ContactImportRequested;
import io.voxdesk.contacts.ContactsImported;
import io.voxdesk.contacts.internal.PhoneNumbers;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantDetails;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a CSV import in the background, a batch of rows per transaction. Each batch commits its contacts,
 * its error rows and the checkpoint together, so after a crash the import resumes after the last committed
 * batch (the unfinished event is handed back to this listener after a restart, by {@code EventResubmission} in the application) and never leaves half a batch behind.
 * <p>
 * Not an {@code @ApplicationModuleListener}: that would hold one transaction open for the whole file.
 */
@Component
class ContactImportJob {

	static final int BATCH = 10_000;

	/** First key of the advisory locks that keep one runner per import. */
	private static final int LOCK_CLASS = 0x766f7801;

	private static final Logger log = LoggerFactory.getLogger(ContactImportJob.class);

	private final ContactImports imports;

	private final StagedMerge merge;

	private final PhoneNumbers numbers;

	private final TenantContext context;

	private final TenantManagement tenants;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private final DataSource dataSource;

	ContactImportJob(DataSource dataSource, ContactImports imports, StagedMerge merge, PhoneNumbers numbers, TenantContext context,
			TenantManagement tenants, ApplicationEventPublisher events, PlatformTransactionManager transactions,
			Optional<Clock> clock) {
		this.dataSource = dataSource;
		this.imports = imports;
		this.merge = merge;
		this.numbers = numbers;
		this.context = context;
		this.tenants = tenants;
		this.events = events;
		this.transaction = new TransactionTemplate(transactions);
		this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.clock = clock.orElse(Clock.systemUTC());
	}

	@Async
	@TransactionalEventListener
	void on(ContactImportRequested event) {
		context.runAs(event.tenantId(), () -> run(event.tenantId(), event.importId().value()));
	}

	/**
	 * Runs or resumes an import of the current tenant; returns quietly if it already ended. The runner holds a
	 * PostgreSQL session advisory lock, which the database releases by itself if the runner's process dies, so a
	 * republished import can always resume. If another runner (another thread or instance) has it, this one fails
	 * rather than return: its event publication must not count as done while the import is not, or an import whose
	 * runner dies later would never be resumed; it is handed back until that run ends.
	 */
	void run(TenantId tenant, UUID id) {
		try (var lock = dataSource.getConnection()) {
			if (!advisoryLock(lock, "pg_try_advisory_lock", id)) {
				log.info("Contact import {} is already running elsewhere", id);
				throw new ImportRunningElsewhere(id);
			}
			try {
				runLocked(tenant, id);
			}
			finally {
				advisoryLock(lock, "pg_advisory_unlock", id);
			}
		}
		catch (SQLException e) {
			throw new IllegalStateException("Could not lock contact import " + id, e);
		}
	}

	private static boolean advisoryLock(Connection connection, String function, UUID id) throws SQLException {
		try (var statement = connection.prepareStatement("select " + function + "(?, ?)")) {
			statement.setInt(1, LOCK_CLASS);
			statement.setInt(2, id.hashCode());
			try (var result = statement.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}
	}

	private void runLocked(TenantId tenant, UUID id) {
		var state = imports.find(id).orElse(null);
		if (state == null || state.status().equals("COMPLETED") || state.status().equals("FAILED")) {
			return;
		}
		try {
			var content = imports.file(id).orElseThrow(() -> new IllegalStateException("the uploaded file is gone"));
			var decoded = ImportFormat.decoded(content);
			var format = ImportFormat.of(decoded, ImportController.parseMapping(state.columns()));
			var region = tenants.find(tenant).map(TenantDetails::defaultRegion).orElse(TenantDetails.DEFAULT_REGION);
			transaction.executeWithoutResult(
					status -> imports.start(id, format.charset().name(), format.delimiter(), clock.instant()));
			var batches = new Batches(new CsvReader(decoded.text(), format.delimiter()),
					new ImportRows(format, numbers, region), state.rowsRead(), new TimeOrderedIds(clock));
			// The next batch is read and checked while the current one is stored: the two take turns on the database
			// and the CPU instead of waiting for each other.
			try (var reading = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("contact-import-reader").factory())) {
				var next = reading.submit(batches::next);
				for (var batch = take(next); batch != null; batch = take(next)) {
					next = reading.submit(batches::next);
					commit(tenant, id, batch);
				}
			}
			var done = imports.find(id).orElseThrow();
			transaction.executeWithoutResult(status -> {
				imports.finish(id, "COMPLETED", null, clock.instant());
				events.publishEvent(new ContactsImported(tenant, ContactImportId.of(id), done.rowsImported(), done.rowsRejected()));
			});
			log.info("Contact import {} of tenant {} completed: {} rows imported, {} rejected", id, tenant,
					done.rowsImported(), done.rowsRejected());
		}
		catch (RuntimeException e) {
			log.error("Contact import {} of tenant {} failed", id, tenant, e);
			transaction.executeWithoutResult(status -> imports.finish(id, "FAILED",
					"The import stopped unexpectedly; rows imported so far are kept. " + e.getClass().getSimpleName(),
					clock.instant()));
		}
	}

	private void commit(TenantId tenant, UUID id, Batch batch) {
		try {
			commit(tenant, id, batch, false);
		}
		catch (DuplicateKeyException raced) {
			log.info("Contact import {}: a number of the batch up to row {} was stored meanwhile; storing the batch again",
					id, batch.read());
			commit(tenant, id, batch, true);
		}
	}

	private void commit(TenantId tenant, UUID id, Batch batch, boolean careful) {
		transaction.executeWithoutResult(status -> {
			merge.store(tenant, batch.staged(), careful);
			imports.addErrors(id, tenant, batch.errors());
			imports.checkpoint(id, batch.read(), batch.staged().rows(), batch.rejected());
		});
	}

	private static @Nullable Batch take(Future<@Nullable Batch> next) {
		try {
			return next.get();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while reading the file", e);
		}
		catch (ExecutionException e) {
			throw e.getCause() instanceof RuntimeException failure ? failure
					: new IllegalStateException("Could not read the file", e.getCause());
		}
	}

	/** The rows read so far, the valid ones staged for {@code COPY}, and what was wrong with the others. */
	record Batch(int read, StagedMerge.Staged staged, List<ImportRows.RowError> errors, int rejected) {
	}

	/**
	 * Reads and checks the file a batch at a time, on one thread at a time. Rows up to the checkpoint are checked
	 * again (they fill the numbers already seen) but not stored again. The last batch may hold no rows: it records
	 * how far the file was read.
	 */
	static final class Batches {

		private final CsvReader reader;

		private final ImportRows rows;

		private final int checkpoint;

		private final TimeOrderedIds ids;

		private int read;

		private boolean done;

		Batches(CsvReader reader, ImportRows rows, int checkpoint, TimeOrderedIds ids) {
			this.ids = ids;
			this.reader = reader;
			this.rows = rows;
			this.checkpoint = checkpoint;
			reader.next();
		}

		@Nullable Batch next() {
			if (done) {
				return null;
			}
			var valid = new ArrayList<ImportRows.ValidRow>(BATCH);
			var errors = new ArrayList<ImportRows.RowError>();
			var rejected = 0;
			for (var row = reader.next(); row != null; row = reader.next()) {
				read++;
				var checked = rows.check(row);
				if (read <= checkpoint) {
					continue;
				}
				if (checked.valid() != null) {
					valid.add(checked.valid());
				}
				else {
					errors.addAll(checked.errors());
					rejected++;
				}
				if (valid.size() + rejected >= BATCH) {
					return new Batch(read, StagedMerge.staged(valid, ids), errors, rejected);
				}
			}
			done = true;
			return new Batch(read, StagedMerge.staged(valid, ids), errors, rejected);
		}
	}

	static int countRows(String text, char delimiter) {
		var reader = new CsvReader(text, delimiter);
		var count = -1;
		while (reader.next() != null) {
			count++;
		}
		return Math.max(count, 0);
	}

	/** Another runner has the import: this publication stays unfinished until that run ends. */
	static final class ImportRunningElsewhere extends IllegalStateException {

		ImportRunningElsewhere(UUID id) {
			super("Contact import " + id + " is already running elsewhere");
		}
	}
}
