package io.voxdesk.audio;

import org.jspecify.annotations.Nullable;

/**
 * What an admin says about a file they upload; the format is read from the content, not from the name.
 *
 * @param name how the library lists it; the file's name when blank.
 * @param filename the uploaded file's own name, if the client sent one.
 */
public record AudioUpload(@Nullable String name, AudioKind kind, @Nullable String filename) {
}
