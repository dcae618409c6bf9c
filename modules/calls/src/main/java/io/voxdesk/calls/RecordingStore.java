package io.voxdesk.calls;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import org.springframework.core.io.Resource;

/**
 * Where call recordings are kept once fetched from the provider (the provider's own links expire). The default
 * keeps files on the local filesystem; an S3-compatible store can replace it as a {@code @Primary} bean.
 */
public interface RecordingStore {

	/**
	 * Stores a recording under a key made of safe characters ({@code tenant/call.wav}), replacing any previous one.
	 */
	void save(String key, InputStream audio) throws IOException;

	/** The stored recording, readable in ranges. */
	Optional<Resource> open(String key);
}
