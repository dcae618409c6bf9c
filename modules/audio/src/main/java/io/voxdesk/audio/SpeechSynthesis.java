package io.voxdesk.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A text-to-speech engine. The default runs Debian's {@code espeak-ng} on this machine; a cloud engine replaces it
 * as a {@code @Primary} bean. The library converts whatever WAV an engine writes, so engines need not care for rates.
 */
public interface SpeechSynthesis {

	/** The engine's name, part of what makes two syntheses the same. */
	String engine();

	/** The languages it speaks, as BCP 47 tags such as {@code pt-BR}. */
	Set<String> languages();

	/**
	 * Writes {@code text} spoken in {@code language} as a WAV file to {@code target}.
	 *
	 * @throws IOException if the engine failed or is missing.
	 */
	void synthesise(String text, String language, Path target) throws IOException;
}
