package io.voxdesk.audio.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.voxdesk.audio.SpeechSynthesis;

import org.springframework.stereotype.Component;

/**
 * The default speech engine: Debian's {@code espeak-ng}, run on this machine. Robotic, but it needs no account, no
 * network and no GPU; a cloud engine replaces it as a {@code @Primary} {@link SpeechSynthesis} bean.
 */
@Component
class EspeakSpeechSynthesis implements SpeechSynthesis {

	/** The language tags offered, and the espeak-ng voice that speaks each. */
	private static final Map<String, String> VOICES = Map.of("pt-BR", "pt-br", "en-US", "en-us", "en-GB", "en-gb");

	private final AudioSettings settings;

	EspeakSpeechSynthesis(AudioSettings settings) {
		this.settings = settings;
	}

	@Override
	public String engine() {
		return "espeak-ng";
	}

	@Override
	public Set<String> languages() {
		return VOICES.keySet();
	}

	@Override
	public void synthesise(String text, String language, Path target) throws IOException {
		var voice = VOICES.get(language);
		if (voice == null) {
			throw new IllegalArgumentException("espeak-ng does not speak " + language);
		}
		// The text goes in on standard input, never as an argument: a text starting with '-' is still just text.
		var outcome = ExternalTool.run(List.of(settings.espeak(), "-v", voice, "--stdin", "-w", target.toString()),
				text.getBytes(StandardCharsets.UTF_8), settings.toolTimeout());
		if (!outcome.succeeded()) {
			throw new IOException("espeak-ng failed: " + outcome.lastError());
		}
	}
}
