package io.voxdesk.audio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.voxdesk.audio.AudioAdded;
import io.voxdesk.audio.AudioDeleted;
import io.voxdesk.audio.AudioDetails;
import io.voxdesk.audio.AudioFormat;
import io.voxdesk.audio.AudioId;
import io.voxdesk.audio.AudioInUseException;
import io.voxdesk.audio.AudioKind;
import io.voxdesk.audio.AudioManagement;
import io.voxdesk.audio.AudioNotFoundException;
import io.voxdesk.audio.AudioRefusedException;
import io.voxdesk.audio.AudioSource;
import io.voxdesk.audio.AudioStore;
import io.voxdesk.audio.AudioUnavailableException;
import io.voxdesk.audio.AudioUpload;
import io.voxdesk.audio.AudioUsage;
import io.voxdesk.audio.SpeechRequest;
import io.voxdesk.audio.SpeechSynthesis;
import io.voxdesk.audio.Synthesised;
import io.voxdesk.tenants.TenantContext;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.Resource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@link AudioManagement} of this module. Converting and synthesising run outside any transaction (they take a
 * while); the converted file is stored first and its row written after, and a row that cannot be written takes its
 * file with it, so a refused or failed request leaves nothing behind.
 */
@Service
class DefaultAudioManagement implements AudioManagement {

	private static final Logger log = LoggerFactory.getLogger(DefaultAudioManagement.class);

	private static final int NAME_MAX = 200;

	private final AudioItems items;

	private final AudioStore store;

	private final AudioConversion conversion;

	private final SpeechSynthesis speech;

	/** Looked up when deleting: the modules that use audio depend on this one, so they cannot be injected at start. */
	private final ObjectProvider<AudioUsage> usages;

	private final TenantContext context;

	private final ApplicationEventPublisher events;

	private final AudioSettings settings;

	private final TransactionTemplate writing;

	private final TransactionTemplate reading;

	private final Clock clock;

	DefaultAudioManagement(AudioItems items, AudioStore store, AudioConversion conversion, SpeechSynthesis speech,
			ObjectProvider<AudioUsage> usages, TenantContext context, ApplicationEventPublisher events, AudioSettings settings,
			PlatformTransactionManager transactions, Optional<Clock> clock) {
		this.items = items;
		this.store = store;
		this.conversion = conversion;
		this.speech = speech;
		this.usages = usages;
		this.context = context;
		this.events = events;
		this.settings = settings;
		this.writing = new TransactionTemplate(transactions);
		this.reading = new TransactionTemplate(transactions);
		this.reading.setReadOnly(true);
		this.clock = clock.orElse(Clock.systemUTC());
	}

	@Override
	public List<AudioDetails> list(@Nullable AudioKind kind) {
		return read(() -> (kind == null ? items.findAllNewestFirst() : items.findByKindNewestFirst(kind.value()))
			.stream()
			.map(AudioItem::toDetails)
			.toList());
	}

	@Override
	public Optional<AudioDetails> find(AudioId id) {
		return read(() -> items.findById(id.value()).map(AudioItem::toDetails));
	}

	@Override
	public AudioDetails upload(AudioUpload upload, InputStream content) {
		var work = workDirectory();
		try {
			var source = work.resolve("upload");
			copyAtMost(content, source, settings.maxUploadSize().toBytes());
			var format = conversion.detect(source);
			var target = work.resolve("converted.wav");
			var converted = conversion.toTelephony(source, format, target);
			var id = AudioId.random();
			var name = name(upload.name(), baseName(upload.filename()), "Audio");
			var item = AudioItem.uploaded(id, name, upload.kind(), format, key(id), converted.durationMillis(),
					converted.sizeBytes(), context.actor().username(), now());
			return keep(item, target, AudioSource.UPLOAD);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			deleteQuietly(work);
		}
	}

	@Override
	public Synthesised synthesise(SpeechRequest request) {
		var text = request.text() == null ? "" : request.text().strip();
		if (text.isEmpty()) {
			throw new AudioRefusedException(HttpStatus.BAD_REQUEST, "No text", "Type the text to be spoken.");
		}
		if (text.length() > settings.maxTextLength()) {
			throw new AudioRefusedException(HttpStatus.BAD_REQUEST, "Text too long", "The text has " + text.length()
					+ " characters; at most " + settings.maxTextLength() + " are turned into speech. Split it into "
					+ "several messages.");
		}
		var language = request.language();
		if (language == null || !speech.languages().contains(language)) {
			throw new AudioRefusedException(HttpStatus.BAD_REQUEST, "Language not spoken", "'" + language
					+ "' is not a language the speech engine speaks; use one of " + new TreeSet<>(speech.languages())
					+ ".");
		}
		var synthesisKey = synthesisKey(speech.engine(), language, text);
		var existing = read(() -> items.findBySynthesisKey(synthesisKey).map(AudioItem::toDetails));
		if (existing.isPresent()) {
			return new Synthesised(existing.get(), false);
		}
		var work = workDirectory();
		try {
			var spoken = work.resolve("spoken.wav");
			try {
				speech.synthesise(text, language, spoken);
			}
			catch (IOException ex) {
				log.error("Speech synthesis with {} failed: {}", speech.engine(), ex.getMessage());
				throw new AudioUnavailableException("The speech engine (" + speech.engine() + ") failed on this "
						+ "server; its operator must check that it is installed (./voxdesk installs espeak-ng).");
			}
			var target = work.resolve("converted.wav");
			var converted = conversion.toTelephony(spoken, AudioFormat.WAV, target);
			var id = AudioId.random();
			var item = AudioItem.spoken(id, name(request.name(), excerpt(text), "Speech"), request.kind(), text,
					language, synthesisKey, key(id), converted.durationMillis(), converted.sizeBytes(),
					context.actor().username(), now());
			try {
				return new Synthesised(keep(item, target, AudioSource.SPEECH), true);
			}
			catch (DataIntegrityViolationException ex) {
				// The same text was synthesised by a request running alongside this one, which kept its item first.
				return read(() -> items.findBySynthesisKey(synthesisKey).map(AudioItem::toDetails))
					.map(twin -> new Synthesised(twin, false))
					.orElseThrow(() -> ex);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			deleteQuietly(work);
		}
	}

	@Override
	public Set<String> languages() {
		return Set.copyOf(speech.languages());
	}

	@Override
	public Optional<Resource> open(AudioId id) {
		return read(() -> items.findById(id.value()).map(AudioItem::storageKey)).flatMap(store::open);
	}

	@Override
	public void delete(AudioId id) {
		var tenant = context.currentTenant();
		var actor = context.actor();
		var key = writing.execute(status -> {
			var item = items.findById(id.value()).orElseThrow(() -> new AudioNotFoundException(id));
			var users = usages.orderedStream().flatMap(usage -> usage.usersOf(id).stream()).sorted().toList();
			if (!users.isEmpty()) {
				throw new AudioInUseException(item.name(), users);
			}
			items.delete(item);
			events.publishEvent(new AudioDeleted(tenant, id, item.name(), actor, clock.instant()));
			return item.storageKey();
		});
		try {
			store.delete(key);
		}
		catch (IOException ex) {
			log.warn("Audio {}: its row is deleted but its file could not be: {}", id, ex.toString());
		}
	}

	/** Stores the converted file, then writes its row; a row that cannot be written takes the file with it. */
	private AudioDetails keep(AudioItem item, Path converted, AudioSource source) throws IOException {
		var tenant = context.currentTenant();
		var actor = context.actor();
		store.save(item.storageKey(), converted);
		try {
			var details = writing.execute(status -> {
				items.save(item);
				var saved = item.toDetails();
				events.publishEvent(new AudioAdded(tenant, saved.id(), saved.name(), saved.kind(), source,
						saved.durationMillis(), actor, saved.createdAt()));
				return saved;
			});
			log.info("Audio {} added to tenant {}'s library: {} ms of {}", item.id(), tenant, details.durationMillis(),
					source.value());
			return details;
		}
		catch (RuntimeException ex) {
			store.delete(item.storageKey());
			throw ex;
		}
	}

	/** Now, as PostgreSQL keeps it (microseconds), so what a request answers equals what is read back later. */
	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private <T> T read(Supplier<T> work) {
		return reading.execute(status -> work.get());
	}

	private String key(AudioId id) {
		return context.currentTenant().value() + "/" + id + ".wav";
	}

	/** Copies the upload to {@code target}, refusing it as soon as it passes {@code limit} bytes. */
	private void copyAtMost(InputStream content, Path target, long limit) throws IOException {
		try (var in = content; var out = Files.newOutputStream(target)) {
			var buffer = new byte[64 * 1024];
			long total = 0;
			int read;
			while ((read = in.read(buffer)) >= 0) {
				total += read;
				if (total > limit) {
					throw new AudioRefusedException(HttpStatus.CONTENT_TOO_LARGE, "File too large", "The file is larger "
							+ "than the " + settings.maxUploadSize().toMegabytes() + " MB the audio library takes; "
							+ "shorten it, or export it as MP3, and upload it again.");
				}
				out.write(buffer, 0, read);
			}
		}
	}

	private Path workDirectory() {
		try {
			return Files.createTempDirectory("voxdesk-audio-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void deleteQuietly(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
		catch (IOException ex) {
			log.debug("Could not clean {}: {}", directory, ex.toString());
		}
	}

	/** The name to list: the one given, else what the content suggests, without control characters, cut short. */
	static String name(@Nullable String given, @Nullable String suggested, String fallback) {
		for (var candidate : new String[] { given, suggested }) {
			if (candidate != null) {
				var clean = candidate.replaceAll("\\p{Cntrl}", " ").strip();
				if (!clean.isEmpty()) {
					return clean.length() > NAME_MAX ? clean.substring(0, NAME_MAX) : clean;
				}
			}
		}
		return fallback;
	}

	private static @Nullable String baseName(@Nullable String filename) {
		if (filename == null) {
			return null;
		}
		var base = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
		var dot = base.lastIndexOf('.');
		return dot > 0 ? base.substring(0, dot) : base;
	}

	private static String excerpt(String text) {
		var line = text.replaceAll("\\s+", " ");
		return line.length() > 60 ? line.substring(0, 59).strip() + "…" : line;
	}

	static String synthesisKey(String engine, String language, String text) {
		try {
			var digest = MessageDigest.getInstance("SHA-256")
				.digest((engine + "\n" + language + "\n" + text).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
