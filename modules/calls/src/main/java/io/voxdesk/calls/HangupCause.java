package io.voxdesk.calls;

import org.jspecify.annotations.Nullable;

/**
 * Why a leg ended, as the provider said it, with the outcome Voxdesk reads from it.
 *
 * @param code the provider's code: a Q.850 cause number for Asterisk, API4COM's {@code hangupCauseCode}.
 * @param text the provider's name for it, such as {@code User busy} or {@code NORMAL_CLEARING}.
 * @param outcome what the cause means for a leg that was not answered; {@literal null} when the cause alone does
 *     not tell (a normal clearing, say).
 */
public record HangupCause(@Nullable String code, @Nullable String text, @Nullable CallOutcome outcome) {
}
