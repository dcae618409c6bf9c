package io.voxdesk.testing.arisim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Generates the audio of a stored recording: a quiet 440 Hz tone, 8 kHz 16-bit mono PCM, as long as it ran. */
final class Wav {

	private static final int SAMPLE_RATE = 8000;

	private Wav() {
	}

	static byte[] tone(long durationMillis) {
		int samples = (int) Math.min(Integer.MAX_VALUE / 4, durationMillis * SAMPLE_RATE / 1000);
		int dataBytes = samples * 2;
		ByteBuffer wav = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
		wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
		wav.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII));
		wav.putInt(16).putShort((short) 1).putShort((short) 1).putInt(SAMPLE_RATE).putInt(SAMPLE_RATE * 2);
		wav.putShort((short) 2).putShort((short) 16);
		wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
		for (int i = 0; i < samples; i++) {
			wav.putShort((short) (1500 * Math.sin(2 * Math.PI * 440 * i / SAMPLE_RATE)));
		}
		return wav.array();
	}
}
