package io.voxdesk.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Audio made by the tests themselves: a tone as WAV of any rate and channel count, and the same tone as MP3 or GSM
 * through Debian's sox (which the library needs anyway), so no binary fixture is kept in the repository.
 */
final class TestAudio {

	private TestAudio() {
	}

	/** A 440 Hz tone of 16-bit PCM WAV. */
	static byte[] wav(int rate, int channels, double seconds) {
		var frames = (int) Math.round(rate * seconds);
		var data = ByteBuffer.allocate(frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < frames; i++) {
			var sample = (short) (Math.sin(2 * Math.PI * 440 * i / rate) * 8000);
			for (int c = 0; c < channels; c++) {
				data.putShort(sample);
			}
		}
		var header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
		header.put("RIFF".getBytes()).putInt(36 + data.capacity()).put("WAVE".getBytes());
		header.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
			.putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
		header.put("data".getBytes()).putInt(data.capacity());
		var out = new ByteArrayOutputStream();
		out.writeBytes(header.array());
		out.writeBytes(data.array());
		return out.toByteArray();
	}

	/** The tone in another format ({@code mp3}, {@code gsm}), converted by sox from a 44.1 kHz stereo WAV. */
	static byte[] as(String format, double seconds) throws IOException, InterruptedException {
		var dir = Files.createTempDirectory("voxdesk-test-audio-");
		try {
			var wav = dir.resolve("tone.wav");
			Files.write(wav, wav(44_100, 2, seconds));
			var target = dir.resolve("tone." + format);
			var command = format.equals("gsm") ? List.of("sox", wav.toString(), "-r", "8000", "-c", "1", target.toString())
					: List.of("sox", wav.toString(), target.toString());
			var process = new ProcessBuilder(command).redirectErrorStream(true).start();
			var output = new String(process.getInputStream().readAllBytes());
			if (process.waitFor() != 0) {
				throw new IOException("sox could not make " + format + ": " + output);
			}
			return Files.readAllBytes(target);
		}
		finally {
			try (var files = Files.list(dir)) {
				for (Path file : files.toList()) {
					Files.delete(file);
				}
			}
			Files.delete(dir);
		}
	}

	/** What a WAV file's header says: rate, channels, bits per sample, and how long its data plays. */
	record WavInfo(int rate, int channels, int bits, long durationMillis) {

		static WavInfo of(byte[] wav) {
			var buffer = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
			int rate = 0;
			int channels = 0;
			int bits = 0;
			int position = 12;
			while (position + 8 <= wav.length) {
				var id = new String(wav, position, 4);
				var length = buffer.getInt(position + 4);
				if (id.equals("fmt ")) {
					channels = buffer.getShort(position + 10);
					rate = buffer.getInt(position + 12);
					bits = buffer.getShort(position + 22);
				}
				if (id.equals("data")) {
					return new WavInfo(rate, channels, bits, length * 1000L / ((long) rate * channels * bits / 8));
				}
				position += 8 + length + (length & 1);
			}
			throw new IllegalArgumentException("no data chunk");
		}
	}
}
