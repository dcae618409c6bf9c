package io.voxdesk.audio.internal;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.audio.AudioDetails;
import io.voxdesk.audio.AudioId;
import io.voxdesk.audio.AudioKind;
import io.voxdesk.audio.AudioManagement;
import io.voxdesk.audio.AudioNotFoundException;
import io.voxdesk.audio.AudioUpload;
import io.voxdesk.audio.SpeechRequest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
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
 * REST API of the tenant's audio library, for tenant admins: upload (WAV, MP3, GSM) or type a text to be spoken,
 * list, listen back in ranges, delete what nothing uses.
 */
@RestController
@RequestMapping("/api/audio")
@PreAuthorize("hasRole('tenant-admin')")
class AudioController {

	private final AudioManagement audio;

	AudioController(AudioManagement audio) {
		this.audio = audio;
	}

	/** A text to be spoken; the same text in the same language is synthesised once per tenant. */
	@Schema(example = """
			{"name": "Lembrete de fatura", "kind": "campaign-message", "language": "pt-BR",
			 "text": "Olá! Sua fatura vence amanhã. Para falar com um atendente, tecle 1."}""")
	record SpeechBody(@Schema(description = "how the library lists it; the text's beginning when omitted") @Nullable
	@Size(max = 200) String name, @NotNull AudioKind kind, @NotNull String text,
			@Schema(example = "pt-BR", description = "one of GET /api/audio/languages") @NotNull String language) {
	}

	@GetMapping
	@Operation(summary = "The tenant's audio, newest first")
	List<AudioDetails> list(@Parameter(description = "campaign-message, ivr-prompt or music-on-hold")
	@RequestParam(required = false) @Nullable String kind) {
		return audio.list(kind == null || kind.isBlank() ? null : AudioKind.of(kind));
	}

	@GetMapping("/languages")
	@Operation(summary = "The languages text can be spoken in")
	List<String> languages() {
		return audio.languages().stream().sorted().toList();
	}

	@GetMapping("/{id}")
	AudioDetails get(@PathVariable UUID id) {
		return audio.find(AudioId.of(id)).orElseThrow(() -> new AudioNotFoundException(AudioId.of(id)));
	}

	@GetMapping("/{id}/content")
	@Operation(summary = "The audio as a PBX plays it (8 kHz mono 16-bit WAV), with HTTP Range support")
	ResponseEntity<Resource> content(@PathVariable UUID id) {
		var resource = audio.open(AudioId.of(id)).orElseThrow(() -> new AudioNotFoundException(AudioId.of(id)));
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("audio/wav"))
			.cacheControl(CacheControl.noStore())
			.header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().filename(id + ".wav").build().toString())
			.body(resource);
	}

	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@Operation(summary = "Uploads WAV, MP3 or GSM audio, converted at once to 8 kHz mono 16-bit WAV")
	ResponseEntity<AudioDetails> upload(@Parameter(description = "The audio file (WAV, MP3 or GSM; 20 MB at most)")
	@RequestParam("file") MultipartFile file,
			@Parameter(description = "campaign-message, ivr-prompt or music-on-hold") @RequestParam String kind,
			@Parameter(description = "How the library lists it; the file's name when omitted")
			@RequestParam(required = false) @Nullable String name) throws IOException {
		var saved = audio.upload(new AudioUpload(name, AudioKind.of(kind), file.getOriginalFilename()),
				file.getInputStream());
		return ResponseEntity.created(URI.create("/api/audio/" + saved.id())).body(saved);
	}

	@PostMapping(path = "/speech", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Turns text into speech (201), or returns the item the same text became before (200)")
	ResponseEntity<AudioDetails> speech(@Valid @RequestBody SpeechBody body) {
		var result = audio.synthesise(new SpeechRequest(body.name(), body.kind(), body.text(), body.language()));
		var location = URI.create("/api/audio/" + result.audio().id());
		return result.created() ? ResponseEntity.created(location).body(result.audio())
				: ResponseEntity.ok().location(location).body(result.audio());
	}

	@DeleteMapping("/{id}")
	@Operation(summary = "Deletes audio that no campaign or queue uses (409 naming them otherwise)")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		audio.delete(AudioId.of(id));
		return ResponseEntity.noContent().build();
	}
}
