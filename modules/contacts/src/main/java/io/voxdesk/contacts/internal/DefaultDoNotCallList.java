package io.voxdesk.contacts.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.voxdesk.contacts.DoNotCallChanged;
import io.voxdesk.contacts.DoNotCallEntry;
import io.voxdesk.contacts.DoNotCallImport;
import io.voxdesk.contacts.DoNotCallList;
import io.voxdesk.contacts.DoNotCallSource;
import io.voxdesk.contacts.InvalidPhoneNumberException;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantDetails;
import io.voxdesk.tenants.TenantManagement;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;

/** The {@link DoNotCallList} of this module: rows of {@code do_not_call}, numbers in E.164. */
@Service
class DefaultDoNotCallList implements DoNotCallList {

	/** A header naming the column of numbers. */
	private static final Pattern NUMBER_HEADER = Pattern
		.compile("^(phone|telefone|fone|tel|celular|mobile|whatsapp|numero|número|number)s?\\d*$");

	private static final int NOTE_MAX = 200;

	private final JdbcClient jdbc;

	private final PhoneNumbers numbers;

	private final TenantContext context;

	private final TenantManagement tenants;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	DefaultDoNotCallList(JdbcClient jdbc, PhoneNumbers numbers, TenantContext context, TenantManagement tenants,
			ApplicationEventPublisher events, Optional<Clock> clock) {
		this.jdbc = jdbc;
		this.numbers = numbers;
		this.context = context;
		this.tenants = tenants;
		this.events = events;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	@Override
	@Transactional(readOnly = true)
	public Optional<DoNotCallEntry> find(String number) {
		return numbers.tryE164(number, region()).flatMap(this::stored);
	}

	@Override
	public Set<String> listed(Collection<String> e164Numbers) {
		if (e164Numbers.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(jdbc.sql("select number from do_not_call where number = any (?::varchar[])")
			.param(e164Numbers.toArray(String[]::new))
			.query(String.class)
			.list());
	}

	@Override
	@Transactional
	public Added add(String number, DoNotCallSource source, @Nullable String note) {
		var e164 = numbers.toE164("number", number, region());
		var added = insert(e164, source, note);
		if (added) {
			events.publishEvent(new DoNotCallChanged(context.currentTenant(), "added", e164, context.actor(),
					clock.instant()));
		}
		return new Added(stored(e164).orElseThrow(), added);
	}

	@Override
	@Transactional
	public boolean remove(String number) {
		var e164 = numbers.tryE164(number, region());
		if (e164.isEmpty()) {
			return false;
		}
		var removed = jdbc.sql("delete from do_not_call where number = ?").param(e164.get()).update() > 0;
		if (removed) {
			events.publishEvent(new DoNotCallChanged(context.currentTenant(), "removed", e164.get(), context.actor(),
					clock.instant()));
		}
		return removed;
	}

	@Override
	@Transactional(readOnly = true)
	public Page<DoNotCallEntry> list(Pageable page) {
		var total = jdbc.sql("select count(*) from do_not_call").query(Long.class).single();
		var entries = jdbc.sql("select * from do_not_call order by added_at desc, number limit ? offset ?")
			.params(page.getPageSize(), page.getOffset())
			.query(DefaultDoNotCallList::entry)
			.list();
		return new PageImpl<>(entries, page, total);
	}

	@Override
	@Transactional
	public DoNotCallImport importCsv(InputStream csv) {
		String text;
		try (csv) {
			text = decoded(csv.readAllBytes());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		var firstLine = text.lines().findFirst().orElse("");
		var delimiter = firstLine.chars().filter(c -> c == ';').count() > firstLine.chars().filter(c -> c == ',').count()
				? ';' : ',';
		var format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true).setTrim(true).get();
		int added = 0;
		int listed = 0;
		var rejected = new ArrayList<DoNotCallImport.Rejected>();
		var region = region();
		try (var parser = format.parse(new StringReader(text))) {
			int column = 0;
			boolean first = true;
			for (CSVRecord record : parser) {
				var row = (int) record.getRecordNumber();
				if (first) {
					first = false;
					var header = headerColumn(record);
					if (header >= 0) {
						column = header;
						continue;
					}
				}
				var value = column < record.size() ? record.get(column) : "";
				if (value.isBlank()) {
					rejected.add(new DoNotCallImport.Rejected(row, "", "no number in this row"));
					continue;
				}
				try {
					var e164 = numbers.toE164("number", value, region);
					if (insert(e164, DoNotCallSource.IMPORT, null)) {
						added++;
					}
					else {
						listed++;
					}
				}
				catch (InvalidPhoneNumberException ex) {
					rejected.add(new DoNotCallImport.Rejected(row, value.length() > 40 ? value.substring(0, 40) : value,
							ex.reason()));
				}
			}
		}
		catch (IOException | UncheckedIOException | IllegalStateException ex) {
			var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The file is not readable CSV ("
					+ ex.getMessage() + "); save it as CSV with one number per row and upload it again.");
			problem.setTitle("Unreadable CSV");
			throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, ex);
		}
		if (added > 0) {
			events.publishEvent(new DoNotCallChanged(context.currentTenant(), "imported", String.valueOf(added),
					context.actor(), clock.instant()));
		}
		return new DoNotCallImport(added, listed, rejected);
	}

	/** The column a header row names as the numbers, or -1 when the row is no header (its first cell is a number). */
	private int headerColumn(CSVRecord record) {
		for (int i = 0; i < record.size(); i++) {
			var name = record.get(i).strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_-]", "");
			if (NUMBER_HEADER.matcher(name).matches()) {
				return i;
			}
		}
		var first = record.size() == 0 ? "" : record.get(0);
		return numbers.tryE164(first, region()).isPresent() ? -1 : 0;
	}

	private boolean insert(String e164, DoNotCallSource source, @Nullable String note) {
		var clean = note == null ? null : note.replaceAll("\\p{Cntrl}", " ").strip();
		if (clean != null && clean.length() > NOTE_MAX) {
			clean = clean.substring(0, NOTE_MAX);
		}
		return jdbc.sql("""
				insert into do_not_call (tenant_id, number, source, note, added_by, added_at)
				values (?, ?, ?, ?, ?, ?) on conflict (tenant_id, number) do nothing""")
			.params(context.currentTenant().value(), e164, source.value(), clean == null || clean.isEmpty() ? null : clean,
					context.actor().username(), Timestamp.from(now()))
			.update() > 0;
	}

	private Optional<DoNotCallEntry> stored(String e164) {
		return jdbc.sql("select * from do_not_call where number = ?").param(e164).query(DefaultDoNotCallList::entry)
			.optional();
	}

	private static DoNotCallEntry entry(ResultSet rs, int row) throws SQLException {
		return new DoNotCallEntry(rs.getString("number"), DoNotCallSource.of(rs.getString("source")), rs.getString("note"),
				rs.getString("added_by"), rs.getTimestamp("added_at").toInstant());
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private String region() {
		return tenants.defaultRegion(context.currentTenant()).orElse(TenantDetails.DEFAULT_REGION);
	}

	/** UTF-8 when the bytes are UTF-8 (a BOM dropped), else Windows-1252, what spreadsheets on Windows save. */
	private static String decoded(byte[] bytes) {
		try {
			var text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
			return text.startsWith("\uFEFF") ? text.substring(1) : text;
		}
		catch (CharacterCodingException ex) {
			return new String(bytes, Charset.forName("windows-1252"));
		}
	}
}
