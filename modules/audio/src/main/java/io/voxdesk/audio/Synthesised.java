package io.voxdesk.audio;

/**
 * The audio item a text became.
 *
 * @param created whether it was synthesised now; {@literal false} when the same text and language had been
 *     synthesised before and that item is returned instead.
 */
public record Synthesised(AudioDetails audio, boolean created) {
}
