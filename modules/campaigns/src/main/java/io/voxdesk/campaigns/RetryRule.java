package io.voxdesk.campaigns;

/**
 * How often a contact is tried again after one outcome.
 *
 * @param maxAttempts attempts in all for a contact whose calls end this way (1: never again).
 * @param delayMinutes how long after such an attempt the next may be placed.
 */
public record RetryRule(int maxAttempts, int delayMinutes) {
}
