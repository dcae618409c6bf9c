package io.voxdesk.audio;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An item of the audio library as the API shows it.
 *
 * @param format the uploaded file's format; {@literal null} for synthesised speech.
 * @param durationMillis how long it plays.
 * @param sizeBytes the size of what a PBX plays: 8 kHz mono 16-bit WAV.
 * @param text the text it says, for synthesised speech.
 * @param language the language it was synthesised in, such as {@code pt-BR}.
 * @param createdBy the username of whoever added it.
 */
public record AudioDetails(AudioId id, String name, AudioKind kind, AudioSource source, @Nullable AudioFormat format,
		long durationMillis, long sizeBytes, @Nullable String text, @Nullable String language, String createdBy,
		Instant createdAt) {
}
