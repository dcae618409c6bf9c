package io.voxdesk.campaigns.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.audio.AudioId;
import io.voxdesk.calls.ProviderConnectionId;
import io.voxdesk.campaigns.CallingWindow;
import io.voxdesk.campaigns.CampaignDetails;
import io.voxdesk.campaigns.CampaignDraft;
import io.voxdesk.campaigns.CampaignId;
import io.voxdesk.campaigns.CampaignManagement;
import io.voxdesk.campaigns.CampaignNotFoundException;
import io.voxdesk.campaigns.CampaignRefusedException;
import io.voxdesk.campaigns.CampaignReport;
import io.voxdesk.campaigns.Ivr;
import io.voxdesk.campaigns.IvrAction;
import io.voxdesk.campaigns.IvrOption;
import io.voxdesk.campaigns.MachineHandling;
import io.voxdesk.campaigns.Retries;
import io.voxdesk.campaigns.RetryRule;
import io.voxdesk.contacts.ContactSelection;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.UserId;
import io.voxdesk.tickets.QueueId;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * REST API of voice campaigns, for tenant admins: create and edit, start now or schedule, pause, resume, cancel.
 * Omitted window, retries and machine handling take sensible defaults (weekdays 09:00-18:00 São Paulo time, a few
 * retries spaced out, hang up on machines).
 */
@RestController
@RequestMapping("/api/campaigns")
@PreAuthorize("hasRole('tenant-admin')")
class CampaignController {

	private final CampaignManagement campaigns;

	private final TenantContext context;

	CampaignController(CampaignManagement campaigns, TenantContext context) {
		this.campaigns = campaigns;
		this.context = context;
	}

	/** The contacts to call: any of the tags (all contacts when none), and the name or number containing query. */
	record Selection(@Nullable List<String> tags, @Nullable String query) {
	}

	/** When calls may start, in the time zone; days as mon..sun, times as HH:mm. */
	record Window(@Schema(example = "[\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]") @NotNull List<String> days,
			@Schema(example = "09:00") @NotNull LocalTime from, @Schema(example = "18:00") @NotNull LocalTime until,
			@Schema(example = "America/Sao_Paulo") @NotNull String timeZone) {
	}

	/** Attempts in all and minutes between them, per outcome. */
	record Rules(@NotNull RetryRule busy, @NotNull RetryRule noAnswer, @NotNull RetryRule failed,
			@NotNull RetryRule machine) {
	}

	@Schema(example = """
			{"name": "Lembrete de fatura", "connectionId": "0f0e7c1e-6c5c-4a55-9d0e-5b8a0b7f1c11",
			 "messageAudioId": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "callerId": "554833330100",
			 "contacts": {"tags": ["inadimplente"]}, "concurrency": 20,
			 "window": {"days": ["mon", "tue", "wed", "thu", "fri"], "from": "09:00", "until": "18:00",
			            "timeZone": "America/Sao_Paulo"},
			 "machines": "hang-up",
			 "ivr": {"timeoutSeconds": 5, "options": {"1": {"action": "repeat"}, "9": {"action": "opt-out"}}}}""")
	record CampaignRequest(@NotNull @Size(max = 120) String name, @NotNull UUID connectionId,
			@NotNull UUID messageAudioId, @NotNull @Size(max = 21) String callerId, @Nullable Selection contacts,
			@NotNull Integer concurrency, @Valid @Nullable Window window, @Valid @Nullable Rules retries,
			@Nullable MachineHandling machines, @Valid @Nullable Menu ivr) {

		CampaignDraft toDraft() {
			var selection = contacts == null ? new ContactSelection(List.of(), "")
					: new ContactSelection(contacts.tags() == null ? List.of() : contacts.tags(),
							contacts.query() == null ? "" : contacts.query());
			return new CampaignDraft(name, ProviderConnectionId.of(connectionId), AudioId.of(messageAudioId), callerId,
					selection, concurrency, window == null ? CallingWindow.defaults() : window(window),
					retries == null ? Retries.defaults()
							: new Retries(retries.busy(), retries.noAnswer(), retries.failed(), retries.machine()),
					machines == null ? MachineHandling.HANG_UP : machines, ivr == null ? null : ivr.toIvr());
		}

		private static CallingWindow window(Window window) {
			var days = EnumSet.noneOf(DayOfWeek.class);
			for (var day : window.days()) {
				days.add(day(day));
			}
			ZoneId zone;
			try {
				zone = ZoneId.of(window.timeZone());
			}
			catch (RuntimeException ex) {
				throw CampaignRefusedException.invalid("window.timeZone", "'" + window.timeZone() + "' is not a time "
						+ "zone; use an IANA name such as America/Sao_Paulo.");
			}
			return new CallingWindow(days, window.from(), window.until(), zone);
		}

		private static DayOfWeek day(String day) {
			for (var candidate : DayOfWeek.values()) {
				if (candidate.name().substring(0, 3).equalsIgnoreCase(day)) {
					return candidate;
				}
			}
			throw CampaignRefusedException.invalid("window.days", "'" + day + "' is not a day; use mon, tue, wed, thu, "
					+ "fri, sat or sun.");
		}
	}

	/**
	 * One key's action (repeat, opt-out, hang-up, transfer-to-queue, transfer-to-user), for opt-out the
	 * confirmation's audio, for the transfers the queue or the user (an id from /api/tenants/me/members).
	 */
	record Option(@NotNull IvrAction action, @Nullable UUID audioId, @Nullable UUID queueId, @Nullable String userId) {
	}

	/**
	 * The menu after the message: its prompt, the seconds a key is waited for, the tries (keys outside the menu and
	 * silences) before goodbye, what plays after an invalid key and after a silence, and an action per key.
	 */
	record Menu(@Nullable UUID promptAudioId, @Nullable Integer timeoutSeconds, @Nullable Integer maxInvalid,
			@Nullable UUID invalidAudioId, @Nullable UUID timeoutAudioId, @NotNull Map<String, Option> options) {

		Ivr toIvr() {
			var converted = new HashMap<String, IvrOption>();
			options.forEach((key, option) -> converted.put(key,
					new IvrOption(option.action(), option.audioId() == null ? null : AudioId.of(option.audioId()),
							option.queueId() == null ? null : QueueId.of(option.queueId()), user(key, option.userId()))));
			return new Ivr(promptAudioId == null ? null : AudioId.of(promptAudioId),
					timeoutSeconds == null ? 5 : timeoutSeconds, maxInvalid == null ? 2 : maxInvalid,
					invalidAudioId == null ? null : AudioId.of(invalidAudioId),
					timeoutAudioId == null ? null : AudioId.of(timeoutAudioId), converted);
		}
	}

	private static @Nullable UserId user(String key, @Nullable String id) {
		if (id == null) {
			return null;
		}
		try {
			return UserId.of(id);
		}
		catch (IllegalArgumentException ex) {
			throw CampaignRefusedException.invalid("ivr.options." + key + ".userId", "'" + id + "' is not a user id; "
					+ "use an id from /api/tenants/me/members.");
		}
	}

	@Schema(example = """
			{"at": "2026-12-07T12:00:00Z"}""")
	record ScheduleRequest(@NotNull Instant at) {
	}

	@GetMapping
	List<CampaignDetails> list() {
		return campaigns.list();
	}

	@GetMapping("/{id}")
	CampaignDetails get(@PathVariable UUID id) {
		return campaigns.find(CampaignId.of(id)).orElseThrow(() -> new CampaignNotFoundException(CampaignId.of(id)));
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Creates a campaign as a draft; refused when no contact matches")
	ResponseEntity<CampaignDetails> create(@Valid @RequestBody CampaignRequest request) {
		var created = campaigns.create(request.toDraft());
		return ResponseEntity.created(URI.create("/api/campaigns/" + created.id())).body(created);
	}

	@PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Changes a campaign; a running or paused one only in its concurrency and window")
	CampaignDetails update(@PathVariable UUID id, @Valid @RequestBody CampaignRequest request) {
		return campaigns.update(CampaignId.of(id), request.toDraft());
	}

	@DeleteMapping("/{id}")
	@Operation(summary = "Deletes a draft")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		campaigns.delete(CampaignId.of(id));
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{id}/start")
	@Operation(summary = "Starts a draft or scheduled campaign now; its contacts are fixed")
	CampaignDetails start(@PathVariable UUID id) {
		return campaigns.start(CampaignId.of(id));
	}

	@PostMapping(path = "/{id}/schedule", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Makes a draft start by itself at the given moment")
	CampaignDetails schedule(@PathVariable UUID id, @Valid @RequestBody ScheduleRequest request) {
		return campaigns.schedule(CampaignId.of(id), request.at());
	}

	@PostMapping("/{id}/pause")
	CampaignDetails pause(@PathVariable UUID id) {
		return campaigns.pause(CampaignId.of(id));
	}

	@PostMapping("/{id}/resume")
	CampaignDetails resume(@PathVariable UUID id) {
		return campaigns.resume(CampaignId.of(id));
	}

	@PostMapping("/{id}/cancel")
	CampaignDetails cancel(@PathVariable UUID id) {
		return campaigns.cancel(CampaignId.of(id));
	}

	@GetMapping("/{id}/report")
	@Operation(summary = "The campaign's figures: contacts by outcome, attempts, talk time, answer rate by hour")
	CampaignReport report(@PathVariable UUID id) {
		return campaigns.report(CampaignId.of(id));
	}

	@GetMapping(value = "/{id}/report.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
	@Operation(summary = "The campaign's report as a PDF: figures, a chart of outcomes and of the answer rate per hour, "
			+ "keys pressed; in Portuguese when the request's Accept-Language is pt, else English")
	ResponseEntity<byte[]> reportPdf(@PathVariable UUID id, Locale locale) throws IOException {
		var campaign = campaigns.find(CampaignId.of(id)).orElseThrow(() -> new CampaignNotFoundException(CampaignId.of(id)));
		var report = campaigns.report(campaign.id());
		var pdf = new ByteArrayOutputStream();
		CampaignPdf.write(campaign, report, locale, Instant.now(), pdf);
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"campaign-" + id + "-report.pdf\"")
			.contentType(MediaType.APPLICATION_PDF)
			.body(pdf.toByteArray());
	}

	@GetMapping(value = "/{id}/attempts.csv", produces = "text/csv")
	@Operation(summary = "Every attempt as CSV, streamed (numbers quoted after an apostrophe, against CSV injection)")
	ResponseEntity<StreamingResponseBody> attempts(@PathVariable UUID id) {
		var campaign = CampaignId.of(id);
		campaigns.find(campaign).orElseThrow(() -> new CampaignNotFoundException(campaign));
		// The body is written on another thread, after this request's tenant scope ends: it takes the tenant along.
		var tenant = context.currentTenant();
		StreamingResponseBody body = out -> {
			var writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
			context.callAs(tenant, () -> {
				try {
					campaigns.exportAttempts(campaign, writer);
					return null;
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		};
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"campaign-" + id + "-attempts.csv\"")
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.body(body);
	}
}
