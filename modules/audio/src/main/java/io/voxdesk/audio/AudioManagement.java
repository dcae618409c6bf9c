package io.voxdesk.audio;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

/**
 * The current tenant's audio library. Whatever comes in (WAV, MP3 or GSM uploads, synthesised speech) is converted
 * once to 8 kHz mono 16-bit WAV, what Asterisk plays without transcoding; that is what is stored and served.
 */
public interface AudioManagement {

	/** The tenant's audio, newest first, optionally of one kind only. */
	List<AudioDetails> list(@Nullable AudioKind kind);

	Optional<AudioDetails> find(AudioId id);

	/**
	 * Converts and stores an uploaded file; nothing is kept of a file that is refused. Publishes {@link AudioAdded}.
	 *
	 * @throws AudioRefusedException if the file is too large or too long, not WAV, MP3 or GSM, or unreadable.
	 * @throws AudioUnavailableException if the converter is not installed on this machine.
	 */
	AudioDetails upload(AudioUpload upload, InputStream content);

	/**
	 * Turns text into speech and stores it, unless the tenant has the same text in the same language already, in
	 * which case that item is returned and nothing is synthesised. Publishes {@link AudioAdded} for a new item.
	 *
	 * @throws AudioRefusedException if the text is empty or too long, or the language is not spoken.
	 * @throws AudioUnavailableException if the speech engine or the converter is not installed.
	 */
	Synthesised synthesise(SpeechRequest request);

	/** The languages the speech engine speaks, such as {@code pt-BR} and {@code en-US}. */
	Set<String> languages();

	/** What a PBX plays: the item as 8 kHz mono 16-bit WAV, readable in ranges. */
	Optional<Resource> open(AudioId id);

	/**
	 * Deletes an item nobody uses. Publishes {@link AudioDeleted}.
	 *
	 * @throws AudioNotFoundException if the tenant has no such item.
	 * @throws AudioInUseException naming every campaign or queue that uses it.
	 */
	void delete(AudioId id);
}
