package io.voxdesk.audio.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

import io.voxdesk.audio.AudioStore;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/** Keeps the library's audio as files under {@code voxdesk.audio.dir}, one folder per tenant. */
@Component
class FilesystemAudioStore implements AudioStore {

	private static final Pattern KEY = Pattern.compile("[a-z0-9-]{2,63}/[0-9a-f-]{36}\\.wav");

	private final Path root;

	FilesystemAudioStore(AudioSettings settings) {
		this.root = settings.dir().toAbsolutePath().normalize();
	}

	@Override
	public void save(String key, Path file) throws IOException {
		var target = resolve(key);
		Files.createDirectories(target.getParent());
		var partial = target.resolveSibling(target.getFileName() + ".part");
		Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
		// A PBX fetching it never gets half a file: the complete file takes the final name in one step.
		Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	@Override
	public Optional<Resource> open(String key) {
		var path = resolve(key);
		return Files.isReadable(path) ? Optional.of(new FileSystemResource(path)) : Optional.empty();
	}

	@Override
	public void delete(String key) throws IOException {
		Files.deleteIfExists(resolve(key));
	}

	private Path resolve(String key) {
		if (!KEY.matcher(key).matches()) {
			throw new IllegalArgumentException("Not an audio key: " + key);
		}
		return root.resolve(key);
	}
}
