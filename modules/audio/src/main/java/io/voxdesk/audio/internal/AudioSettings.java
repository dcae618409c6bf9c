package io.voxdesk.audio.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the audio library ({@code voxdesk.audio.*}).
 *
 * @param dir where the filesystem store keeps the converted audio, one folder per tenant; {@code voxdesk-audio} in the
 *     system's temporary directory by default.
 * @param maxUploadSize the largest file taken; it cannot be larger than Spring's multipart limit (20 MB).
 * @param maxDuration the longest audio kept, uploaded or synthesised.
 * @param maxTextLength the longest text turned into speech, in characters.
 * @param sox the converter's command (Debian's {@code sox}, with {@code libsox-fmt-mp3} for MP3).
 * @param espeak the default speech engine's command (Debian's {@code espeak-ng}).
 * @param toolTimeout how long one conversion or synthesis may run before it is stopped.
 */
@ConfigurationProperties("voxdesk.audio")
record AudioSettings(@Nullable Path dir,
		@DefaultValue("20MB") DataSize maxUploadSize, @DefaultValue("15m") Duration maxDuration,
		@DefaultValue("3000") int maxTextLength, @DefaultValue("sox") String sox,
		@DefaultValue("espeak-ng") String espeak, @DefaultValue("60s") Duration toolTimeout) {

	AudioSettings {
		if (dir == null) {
			dir = Path.of(System.getProperty("java.io.tmpdir"), "voxdesk-audio");
		}
	}

	@Override
	public Path dir() {
		return Objects.requireNonNull(dir);
	}
}
