package io.voxdesk.contacts.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.contacts.DoNotCallEntry;
import io.voxdesk.contacts.DoNotCallImport;
import io.voxdesk.contacts.DoNotCallList;
import io.voxdesk.contacts.DoNotCallSource;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Pageable;
import org.springframework.data.web.PageableDefault;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * REST API of the tenant's do-not-call list, for tenant admins: list, add one number, import a CSV, remove; and for
 * every user, whether one number is listed (what click-to-call asks before dialling).
 */
@RestController
@RequestMapping("/api/do-not-call")
class DoNotCallController {

	private final DoNotCallList list;

	DoNotCallController(DoNotCallList list) {
		this.list = list;
	}

	@Schema(example = """
			{"number": "(48) 3332-8530", "note": "Asked by phone on 2026-12-06"}""")
	record NumberToBlock(@Schema(example = "(48) 3332-8530") @NotBlank @Size(max = 40) String number,
			@Schema(description = "why, for the other admins") @Nullable @Size(max = 200) String note) {
	}

	@GetMapping
	@PreAuthorize("hasRole('tenant-admin')")
	@Operation(summary = "The do-not-call list, newest first")
	PagedModel<DoNotCallEntry> list(@PageableDefault(size = 50) Pageable page) {
		return new PagedModel<>(list.list(page));
	}

	@GetMapping("/{number}")
	@PreAuthorize("hasAnyRole('agent', 'tenant-admin')")
	@Operation(summary = "Whether a number (any spelling, URL-encoded) is on the list: 200 with its entry, else 404")
	DoNotCallEntry find(@PathVariable String number) {
		return list.find(number).orElseThrow(() -> notListed(number));
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@PreAuthorize("hasRole('tenant-admin')")
	@Operation(summary = "Adds a number (201), or answers 200 with the entry it already has")
	ResponseEntity<DoNotCallEntry> add(@Valid @RequestBody NumberToBlock request) {
		var added = list.add(request.number(), DoNotCallSource.MANUAL, request.note());
		var location = URI.create("/api/do-not-call/" + URLEncoder.encode(added.entry().number(), StandardCharsets.UTF_8));
		return added.created() ? ResponseEntity.created(location).body(added.entry())
				: ResponseEntity.ok().location(location).body(added.entry());
	}

	@PostMapping(path = "/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@PreAuthorize("hasRole('tenant-admin')")
	@Operation(summary = "Adds every number of a CSV; rows that are not numbers are reported, not taken")
	DoNotCallImport importCsv(@Parameter(description = "CSV with a column of numbers (phone, telefone, number…), "
			+ "or one number per line") @RequestParam("file") MultipartFile file) throws IOException {
		return list.importCsv(file.getInputStream());
	}

	@DeleteMapping("/{number}")
	@PreAuthorize("hasRole('tenant-admin')")
	@Operation(summary = "Takes a number off the list")
	ResponseEntity<Void> remove(@PathVariable String number) {
		if (!list.remove(number)) {
			throw notListed(number);
		}
		return ResponseEntity.noContent().build();
	}

	private static ErrorResponseException notListed(String number) {
		var shown = number.length() > 40 ? number.substring(0, 40) : number;
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"'" + shown.replaceAll("\\p{Cntrl}", "") + "' is not on your organization's do-not-call list.");
		problem.setTitle("Not on the do-not-call list");
		return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
	}
}
