package io.voxdesk.audio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.voxdesk.audio.AudioFormat;
import io.voxdesk.audio.AudioRefusedException;
import io.voxdesk.audio.AudioUnavailableException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Turns WAV, MP3 and GSM into what Asterisk plays without transcoding: 8 kHz, mono, 16-bit signed linear WAV
 * ({@code slin}), with Debian's {@code sox}. The format is read from the file's first bytes, never from its name.
 */
@Component
class AudioConversion {

	/** Asterisk's native narrowband rate: what every telephone codec is transcoded from and to. */
	static final int RATE = 8000;

	/** Bytes per second of the converted audio: 8,000 samples of 2 bytes. */
	static final int BYTES_PER_SECOND = RATE * 2;

	/** A GSM 06.10 frame as sox and Asterisk store it: 33 bytes, the first starting with the signature nibble 0xD. */
	private static final int GSM_FRAME = 33;

	private static final Logger log = LoggerFactory.getLogger(AudioConversion.class);

	private final AudioSettings settings;

	AudioConversion(AudioSettings settings) {
		this.settings = settings;
	}

	/** What was made, and how long it plays. */
	record Converted(long durationMillis, long sizeBytes) {
	}

	/**
	 * The format of the file, by its content.
	 *
	 * @throws AudioRefusedException (415) if it is neither WAV, MP3 nor GSM.
	 */
	AudioFormat detect(Path file) throws IOException {
		var size = Files.size(file);
		if (size == 0) {
			throw AudioRefusedException.unprocessable("Empty file", "The file is empty.");
		}
		var head = new byte[12];
		int read;
		try (InputStream in = Files.newInputStream(file)) {
			read = in.readNBytes(head, 0, head.length);
		}
		if (read >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE")) {
			return AudioFormat.WAV;
		}
		if (read >= 3 && ascii(head, 0, "ID3") || read >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0) {
			return AudioFormat.MP3;
		}
		if ((head[0] & 0xF0) == 0xD0 && size % GSM_FRAME == 0) {
			return AudioFormat.GSM;
		}
		throw new AudioRefusedException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported audio format",
				"The file is not WAV, MP3 or GSM audio; export it in one of those formats and upload it again.");
	}

	/**
	 * Converts {@code source} of {@code format} into {@code target}.
	 *
	 * @throws AudioRefusedException (422) if the file cannot be read as {@code format}, holds no sound, or plays
	 *     longer than allowed.
	 * @throws AudioUnavailableException if sox is missing, or ran past its deadline.
	 */
	Converted toTelephony(Path source, AudioFormat format, Path target) throws IOException {
		var command = List.of(settings.sox(), "-V1", "-t", format.value(), source.toString(), "-t", "wav", "-r",
				String.valueOf(RATE), "-c", "1", "-b", "16", "-e", "signed-integer", target.toString());
		ExternalTool.Outcome outcome;
		try {
			outcome = ExternalTool.run(command, null, settings.toolTimeout());
		}
		catch (ExternalTool.Missing ex) {
			log.error("Audio conversion unavailable: {}", ex.getMessage());
			throw new AudioUnavailableException("This server cannot convert audio: its operator must install Debian's "
					+ "sox and libsox-fmt-mp3 (./voxdesk does).");
		}
		catch (ExternalTool.TimedOut ex) {
			log.warn("Audio conversion of a {} upload stopped: {}", format.value(), ex.getMessage());
			throw AudioRefusedException.unprocessable("Audio not readable", "The " + format.name() + " file took "
					+ "too long to convert; it is probably damaged. Export it again and upload the new file.");
		}
		if (!outcome.succeeded()) {
			log.info("sox refused a {} upload: {}", format.value(), outcome.lastError().replace(source.toString(), "<file>"));
			throw AudioRefusedException.unprocessable("Audio not readable", "The file could not be read as "
					+ format.name() + ": it is damaged or not really " + format.name() + ". Export it again and upload "
					+ "the new file.");
		}
		var dataBytes = dataBytes(target);
		if (dataBytes < BYTES_PER_SECOND / 10) {
			throw AudioRefusedException.unprocessable("No audio", "The file holds no sound (less than a tenth of a "
					+ "second).");
		}
		var duration = dataBytes * 1000 / BYTES_PER_SECOND;
		if (duration > settings.maxDuration().toMillis()) {
			throw AudioRefusedException.unprocessable("Audio too long", "The audio plays " + minutes(duration)
					+ "; the library keeps audio of up to " + minutes(settings.maxDuration().toMillis()) + ".");
		}
		return new Converted(duration, Files.size(target));
	}

	/** The size of the WAV file's {@code data} chunk, found by walking its chunks. */
	static long dataBytes(Path wav) throws IOException {
		try (var channel = FileChannel.open(wav)) {
			var header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
			long position = 12;
			while (position + 8 <= channel.size()) {
				header.clear();
				channel.read(header, position);
				header.flip();
				var id = new byte[4];
				header.get(id);
				var length = Integer.toUnsignedLong(header.getInt());
				if (ascii(id, 0, "data")) {
					return Math.min(length, channel.size() - position - 8);
				}
				position += 8 + length + (length & 1);
			}
		}
		throw new IOException("the converted WAV file has no data chunk");
	}

	private static boolean ascii(byte[] bytes, int offset, String text) {
		for (int i = 0; i < text.length(); i++) {
			if (offset + i >= bytes.length || bytes[offset + i] != text.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	private static String minutes(long millis) {
		var seconds = (millis + 999) / 1000;
		return seconds / 60 + " min " + seconds % 60 + " s";
	}
}
