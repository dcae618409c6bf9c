package io.voxdesk.contacts.internal.imports;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Parameter;
import io.voxdesk.contacts.ContactNotFoundException;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** CSV import of contacts for tenant admins: upload, progress, error report, template. */
@RestController
@RequestMapping("/api/contacts/imports")
@PreAuthorize("hasRole('tenant-admin')")
class ImportController {

	static final String TEMPLATE = """
			name,phone,email,custom1,custom2,custom3,custom4,custom5,tags
			Maria Souza,(48) 3332-8530,maria@example.com,Gold,,,,,vip|lead
			João Lima,(11) 98765-4321 | (11) 3333-4444,,,,,,,
			""";

	private final ContactImportService service;

	private final ContactImports imports;

	ImportController(ContactImportService service, ContactImports imports) {
		this.service = service;
		this.imports = imports;
	}

	/**
	 * Queues an import. Columns are matched by header name (name/nome, phone/telefone/celular…, email,
	 * custom1..custom5, tags); {@code mapping} overrides, as {@code Header=field;Other header=field}.
	 */
	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@Transactional
	ResponseEntity<ImportView> upload(
			@Parameter(description = "The CSV file (UTF-8 or Windows-1252, ',' or ';' delimited, with a header row)")
			@RequestParam("file") MultipartFile file,
			@Parameter(description = "Header-to-field overrides, as Header=field;Other header=field",
					example = "Nome completo=name;Celular=phone;Cidade=custom1")
			@RequestParam(defaultValue = "") String mapping) throws java.io.IOException {
		var name = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank() ? "contacts.csv"
				: file.getOriginalFilename();
		var id = service.submit(name.length() > 255 ? name.substring(0, 255) : name, file.getBytes(), mapping);
		return ResponseEntity.accepted().location(URI.create("/api/contacts/imports/" + id)).body(view(id));
	}

	@GetMapping
	List<ImportView> recent() {
		return imports.recent(50).stream().map(ImportView::of).toList();
	}

	@GetMapping("/{id}")
	ImportView get(@PathVariable UUID id) {
		return view(id);
	}

	/** Every rejected row: row number, column and reason, as CSV. */
	@GetMapping(value = "/{id}/errors", produces = "text/csv")
	ResponseEntity<String> errors(@PathVariable UUID id) {
		view(id);
		var out = new StringBuilder("row,column,reason\n");
		for (var error : imports.errors(id)) {
			out.append(error.row()).append(',').append(csv(error.column())).append(',').append(csv(error.reason())).append('\n');
		}
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"import-" + id + "-errors.csv\"")
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.body(out.toString());
	}

	@GetMapping(value = "/template.csv", produces = "text/csv")
	ResponseEntity<String> template() {
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"contacts-template.csv\"")
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.body(TEMPLATE);
	}

	private ImportView view(UUID id) {
		return imports.find(id).map(ImportView::of).orElseThrow(() -> {
			var problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "There is no contact import " + id + ".");
			problem.setTitle("Import not found");
			return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
		});
	}

	static Map<String, String> parseMapping(@Nullable String mapping) {
		var parsed = new LinkedHashMap<String, String>();
		if (mapping == null || mapping.isBlank()) {
			return parsed;
		}
		for (var pair : mapping.split(";")) {
			var equals = pair.lastIndexOf('=');
			if (equals <= 0) {
				throw new ImportRefusedException("The mapping '" + pair + "' is not 'Header=field'.");
			}
			parsed.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
		}
		return parsed;
	}

	static String formatMapping(ImportFormat format) {
		var out = new StringBuilder();
		format.columns().forEach((column, field) -> {
			if (!out.isEmpty()) {
				out.append(';');
			}
			out.append(format.header().get(column)).append('=').append(field.name().toLowerCase(Locale.ROOT));
		});
		return out.toString();
	}

	/**
	 * One cell of an exported CSV. A cell a spreadsheet would read as a formula ({@code = + - @}, tab or carriage
	 * return first) gets a leading {@code '} and quotes, as OWASP's CSV injection guidance says: column names and
	 * values in the report come from the uploaded file.
	 */
	static String csv(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			return "";
		}
		if ("=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
			return "\"'" + value.replace("\"", "\"\"") + "\"";
		}
		return value.matches("(?s).*[\",\\n\\r].*") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
	}

	/** An import's progress and outcome. */
	record ImportView(UUID id, String fileName, String status, @Nullable String charset, @Nullable String delimiter,
			@Nullable String columns, @Nullable Integer rowsTotal, int rowsRead, int rowsImported, int rowsRejected,
			int percent, @Nullable String failure, Instant createdAt, @Nullable Instant startedAt,
			@Nullable Instant finishedAt, String errorReport) {

		static ImportView of(ContactImports.ImportState state) {
			var percent = state.status().equals("COMPLETED") ? 100
					: state.rowsTotal() == null || state.rowsTotal() == 0 ? 0 : state.rowsRead() * 100 / state.rowsTotal();
			return new ImportView(state.id(), state.fileName(), state.status(), state.charset(), state.delimiter(),
					state.columns(), state.rowsTotal(), state.rowsRead(), state.rowsImported(), state.rowsRejected(), percent,
					state.failure(), state.createdAt(), state.startedAt(), state.finishedAt(),
					"/api/contacts/imports/" + state.id() + "/errors");
		}
	}
}
