package io.voxdesk.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.springframework.core.io.Resource;

/**
 * Where the library's converted audio is kept. The default keeps files on the local filesystem; an S3-compatible
 * store replaces it as a {@code @Primary} bean.
 */
public interface AudioStore {

	/** Stores the file under a key of safe characters ({@code tenant/id.wav}), replacing any previous one. */
	void save(String key, Path file) throws IOException;

	/** The stored audio, readable in ranges. */
	Optional<Resource> open(String key);

	/** Removes the stored audio; nothing happens when there is none. */
	void delete(String key) throws IOException;
}
