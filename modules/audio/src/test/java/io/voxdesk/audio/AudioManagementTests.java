package io.voxdesk.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;
import io.voxdesk.tenants.TenantManagement;
import io.voxdesk.testing.tenants.TestTenants;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.ErrorResponseException;

/**
 * The audio library against the real database, a real store on disk and Debian's sox and espeak-ng: what each
 * format becomes, what is refused and that a refusal leaves nothing behind, speech synthesised once, deleting what
 * something uses, and one tenant never reaching another's audio.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, webEnvironment = WebEnvironment.NONE)
class AudioManagementTests {

	static final Path STORE = temporaryStore();

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("voxdesk.audio.dir", STORE::toString);
		registry.add("voxdesk.audio.max-duration", () -> "20s");
	}

	/** Who uses which audio, as a campaigns module would answer; set by a test. */
	static final Map<AudioId, List<String>> USERS = new ConcurrentHashMap<>();

	@TestConfiguration
	static class Users {

		@Bean
		AudioUsage campaignsUsingAudio() {
			return audio -> USERS.getOrDefault(audio, List.of());
		}
	}

	@Autowired
	AudioManagement audio;

	@Autowired
	TenantManagement tenants;

	@Autowired
	TenantContext context;

	TenantId tenant;

	TenantId other;

	@BeforeEach
	void tenants() {
		var testTenants = new TestTenants(tenants, context);
		tenant = testTenants.create("au", "Audio");
		other = testTenants.create("ax", "Other");
		USERS.clear();
	}

	AudioDetails upload(TenantId in, byte[] content, String filename) {
		return context.callAs(in, () -> audio.upload(new AudioUpload(null, AudioKind.CAMPAIGN_MESSAGE, filename),
				new ByteArrayInputStream(content)));
	}

	byte[] stored(TenantId in, AudioId id) {
		return context.callAs(in, () -> audio.open(id).map(resource -> {
			try (var stream = resource.getInputStream()) {
				return stream.readAllBytes();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}).orElseThrow());
	}

	long filesOf(TenantId in) throws IOException {
		var folder = STORE.resolve(in.value());
		if (!Files.isDirectory(folder)) {
			return 0;
		}
		try (Stream<Path> files = Files.list(folder)) {
			return files.count();
		}
	}

	@Test
	void aStereoCdQualityWavBecomesEightKilohertzMonoSixteenBitAndIsAnnounced(Scenario scenario) {
		var original = TestAudio.wav(44_100, 2, 1.5);

		scenario.stimulate(() -> upload(tenant, original, "Boas-vindas.wav"))
			.andWaitForEventOfType(AudioAdded.class)
			.matching(added -> added.tenantId().equals(tenant))
			.toArriveAndVerify((added, saved) -> {
				assertThat(added.audioId()).isEqualTo(saved.id());
				assertThat(saved.name()).as("the file's name without its extension").isEqualTo("Boas-vindas");
				assertThat(saved.format()).isEqualTo(AudioFormat.WAV);
				assertThat(saved.source()).isEqualTo(AudioSource.UPLOAD);
				assertThat(saved.durationMillis()).isCloseTo(1500, within(20L));
				var wav = TestAudio.WavInfo.of(stored(tenant, saved.id()));
				assertThat(wav.rate()).isEqualTo(8000);
				assertThat(wav.channels()).isEqualTo(1);
				assertThat(wav.bits()).isEqualTo(16);
				assertThat(wav.durationMillis()).isCloseTo(1500, within(20L));
				assertThat(saved.sizeBytes()).isEqualTo(stored(tenant, saved.id()).length);
			});
	}

	@Test
	void mp3AndGsmAreReadByTheirContentWhateverTheirNamesSay() throws Exception {
		var mp3 = upload(tenant, TestAudio.as("mp3", 2.0), "message.wav");
		var gsm = upload(tenant, TestAudio.as("gsm", 2.0), "prompt.bin");

		assertThat(mp3.format()).isEqualTo(AudioFormat.MP3);
		assertThat(gsm.format()).isEqualTo(AudioFormat.GSM);
		for (var item : List.of(mp3, gsm)) {
			assertThat(item.durationMillis()).as(item.format().value()).isCloseTo(2000, within(80L));
			var wav = TestAudio.WavInfo.of(stored(tenant, item.id()));
			assertThat(wav.rate()).isEqualTo(8000);
			assertThat(wav.channels()).isEqualTo(1);
			assertThat(wav.bits()).isEqualTo(16);
		}
		assertThat(context.callAs(tenant, () -> audio.list(null))).extracting(AudioDetails::id)
			.containsExactly(gsm.id(), mp3.id());
	}

	@Test
	void whatIsRefusedSaysWhyAndLeavesNothingBehind() throws IOException {
		// A "corrupt MP3": the ID3 tag an MP3 starts with, then bytes no decoder can read.
		var corrupt = new byte[4096];
		System.arraycopy("ID3".getBytes(), 0, corrupt, 0, 3);
		for (int i = 3; i < corrupt.length; i++) {
			corrupt[i] = (byte) (i * 7);
		}
		assertRefused(() -> upload(tenant, corrupt, "promo.mp3"), HttpStatus.UNPROCESSABLE_CONTENT,
				"could not be read as MP3");
		assertRefused(() -> upload(tenant, "%PDF-1.7 an invoice".getBytes(), "invoice.mp3"),
				HttpStatus.UNSUPPORTED_MEDIA_TYPE, "not WAV, MP3 or GSM");
		assertRefused(() -> upload(tenant, new byte[0], "empty.wav"), HttpStatus.UNPROCESSABLE_CONTENT, "empty");
		assertRefused(() -> upload(tenant, TestAudio.wav(8000, 1, 0.02), "click.wav"), HttpStatus.UNPROCESSABLE_CONTENT,
				"no sound");
		assertRefused(() -> upload(tenant, TestAudio.wav(8000, 1, 21), "speech.wav"), HttpStatus.UNPROCESSABLE_CONTENT,
				"up to 0 min 20 s");
		// 21 MB that never exist in memory at once: the copy stops at the limit.
		assertRefused(() -> context.callAs(tenant, () -> audio.upload(new AudioUpload("big", AudioKind.MUSIC_ON_HOLD,
				"big.wav"), endless(21L * 1024 * 1024))), HttpStatus.CONTENT_TOO_LARGE, "larger than the 20 MB");

		assertThat(context.callAs(tenant, () -> audio.list(null))).isEmpty();
		assertThat(filesOf(tenant)).isZero();
	}

	@Test
	void theSameTextInTheSameLanguageIsSynthesisedOnce() throws IOException {
		var text = "Olá! Sua fatura vence amanhã. Para falar com um atendente, tecle 1.";

		var first = context.callAs(tenant,
				() -> audio.synthesise(new SpeechRequest(null, AudioKind.CAMPAIGN_MESSAGE, text, "pt-BR")));
		var again = context.callAs(tenant,
				() -> audio.synthesise(new SpeechRequest("Fatura", AudioKind.CAMPAIGN_MESSAGE, "  " + text + "\n", "pt-BR")));
		var english = context.callAs(tenant,
				() -> audio.synthesise(new SpeechRequest(null, AudioKind.IVR_PROMPT, text, "en-US")));
		var elsewhere = context.callAs(other,
				() -> audio.synthesise(new SpeechRequest(null, AudioKind.CAMPAIGN_MESSAGE, text, "pt-BR")));

		assertThat(first.created()).isTrue();
		assertThat(again.created()).isFalse();
		assertThat(again.audio()).isEqualTo(first.audio());
		assertThat(first.audio().name()).isEqualTo("Olá! Sua fatura vence amanhã. Para falar com um atendente,…");
		assertThat(first.audio().text()).isEqualTo(text);
		assertThat(first.audio().language()).isEqualTo("pt-BR");
		assertThat(first.audio().durationMillis()).as("espeak-ng speaks it in a few seconds").isBetween(2000L, 15000L);
		assertThat(TestAudio.WavInfo.of(stored(tenant, first.audio().id())).rate()).isEqualTo(8000);
		assertThat(english.created()).as("another language is another synthesis").isTrue();
		assertThat(elsewhere.created()).as("another tenant's library is its own").isTrue();
		assertThat(filesOf(tenant)).isEqualTo(2);
	}

	@Test
	void twoRequestsForTheSameTextAtOnceMakeOneItem() throws Exception {
		var text = "Your appointment is tomorrow at nine.";
		List<Synthesised> results;
		try (var threads = Executors.newFixedThreadPool(4)) {
			var futures = Stream.generate(() -> threads.submit(() -> context.callAs(tenant,
					() -> audio.synthesise(new SpeechRequest(null, AudioKind.CAMPAIGN_MESSAGE, text, "en-GB")))))
				.limit(4)
				.toList();
			results = futures.stream().map(future -> {
				try {
					return future.get();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}).toList();
		}
		assertThat(results).extracting(result -> result.audio().id()).containsOnly(results.getFirst().audio().id());
		assertThat(results).filteredOn(Synthesised::created).hasSize(1);
		assertThat(context.callAs(tenant, () -> audio.list(null))).hasSize(1);
		assertThat(filesOf(tenant)).isEqualTo(1);
	}

	@Test
	void aTextThatCannotBeSpokenIsRefusedWithWhatToDo() {
		assertRefused(() -> context.callAs(tenant,
				() -> audio.synthesise(new SpeechRequest(null, AudioKind.IVR_PROMPT, "  \n ", "pt-BR"))),
				HttpStatus.BAD_REQUEST, "Type the text");
		assertRefused(() -> context.callAs(tenant,
				() -> audio.synthesise(new SpeechRequest(null, AudioKind.IVR_PROMPT, "a".repeat(3001), "pt-BR"))),
				HttpStatus.BAD_REQUEST, "3001 characters; at most 3000");
		assertRefused(() -> context.callAs(tenant,
				() -> audio.synthesise(new SpeechRequest(null, AudioKind.IVR_PROMPT, "Hallo", "de-DE"))),
				HttpStatus.BAD_REQUEST, "use one of [en-GB, en-US, pt-BR]");
		assertThat(context.callAs(tenant, () -> audio.list(null))).isEmpty();
	}

	@Test
	void audioInUseIsKeptAndItsUsersNamedWhileUnusedAudioGoesWithItsFile(Scenario scenario) throws IOException {
		var used = upload(tenant, TestAudio.wav(8000, 1, 1), "aviso.wav");
		var unused = upload(tenant, TestAudio.wav(8000, 1, 1), "antigo.wav");
		USERS.put(used.id(), List.of("campaign \"Black Friday\"", "queue \"Suporte\""));

		assertThatThrownBy(() -> context.runAs(tenant, () -> audio.delete(used.id())))
			.isInstanceOfSatisfying(AudioInUseException.class, refused -> {
				assertThat(refused.getStatusCode().value()).isEqualTo(409);
				assertThat(refused.getBody().getDetail()).isEqualTo("\"aviso\" is used by campaign \"Black Friday\", "
						+ "queue \"Suporte\"; choose other audio there first, then delete it.");
			});

		scenario.stimulate(() -> context.runAs(tenant, () -> audio.delete(unused.id())))
			.andWaitForEventOfType(AudioDeleted.class)
			.matching(deleted -> deleted.audioId().equals(unused.id()))
			.toArriveAndVerify(deleted -> assertThat(deleted.name()).isEqualTo("antigo"));
		assertThat(context.callAs(tenant, () -> audio.list(null))).extracting(AudioDetails::id).containsExactly(used.id());
		assertThat(filesOf(tenant)).isEqualTo(1);
		assertThat(context.callAs(tenant, () -> audio.open(used.id()))).isPresent();
	}

	@Test
	void anotherTenantCannotListFindHearOrDeleteTheAudio() {
		var mine = upload(tenant, TestAudio.wav(8000, 1, 1), "private.wav");

		// The attack: tenant "other" learns the id (a leaked link, a guess) and asks for it by id everywhere.
		assertThat(context.callAs(other, () -> audio.find(mine.id()))).isEmpty();
		assertThat(context.callAs(other, () -> audio.open(mine.id()))).isEmpty();
		assertThat(context.callAs(other, () -> audio.list(null))).isEmpty();
		assertThatThrownBy(() -> context.runAs(other, () -> audio.delete(mine.id())))
			.isInstanceOf(AudioNotFoundException.class);

		assertThat(context.callAs(tenant, () -> audio.find(mine.id()))).isPresent();
	}

	static void assertRefused(Runnable action, HttpStatus status, String detail) {
		assertThatThrownBy(action::run).isInstanceOfSatisfying(ErrorResponseException.class, refused -> {
			assertThat(refused.getStatusCode().value()).isEqualTo(status.value());
			assertThat(refused.getBody().getDetail()).contains(detail);
		});
	}

	/** {@code size} bytes of a WAV-looking stream made as it is read. */
	static InputStream endless(long size) {
		return new InputStream() {

			long left = size;

			@Override
			public int read() {
				return left-- > 0 ? 'R' : -1;
			}

			@Override
			public int read(byte[] buffer, int offset, int length) {
				if (left <= 0) {
					return -1;
				}
				var n = (int) Math.min(length, left);
				left -= n;
				return n;
			}
		};
	}

	private static Path temporaryStore() {
		try {
			return Files.createTempDirectory("voxdesk-audio-store-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
