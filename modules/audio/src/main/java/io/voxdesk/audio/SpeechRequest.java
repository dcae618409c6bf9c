package io.voxdesk.audio;

import org.jspecify.annotations.Nullable;

/**
 * Text to turn into an audio item.
 *
 * @param name how the library lists it; the text's beginning when blank.
 * @param language a language the engine speaks ({@link AudioManagement#languages()}), such as {@code pt-BR}.
 */
public record SpeechRequest(@Nullable String name, AudioKind kind, String text, String language) {
}
