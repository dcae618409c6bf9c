package io.voxdesk.calls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

import io.voxdesk.calls.RecordingStore;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/**
 * Keeps recordings as files under {@code voxdesk.calls.recordings-dir}, one folder per tenant; another store replaces
 * it as a {@code @Primary} bean.
 */
@Component
class FilesystemRecordingStore implements RecordingStore {

	private static final Pattern KEY = Pattern.compile("[a-z0-9-]{2,63}/[0-9a-f-]{36}\\.(wav|mp3)");

	private final Path root;

	FilesystemRecordingStore(@Value("${voxdesk.calls.recordings-dir:${java.io.tmpdir}/voxdesk-recordings}") Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	@Override
	public void save(String key, InputStream audio) throws IOException {
		var target = resolve(key);
		Files.createDirectories(target.getParent());
		var partial = target.resolveSibling(target.getFileName() + ".part");
		Files.copy(audio, partial, StandardCopyOption.REPLACE_EXISTING);
		// A reader never sees half a file: the complete file takes the final name in one step.
		Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	@Override
	public Optional<Resource> open(String key) {
		var path = resolve(key);
		return Files.isReadable(path) ? Optional.of(new FileSystemResource(path)) : Optional.empty();
	}

	private Path resolve(String key) {
		if (!KEY.matcher(key).matches()) {
			throw new IllegalArgumentException("Not a recording key: " + key);
		}
		return root.resolve(key);
	}
}
