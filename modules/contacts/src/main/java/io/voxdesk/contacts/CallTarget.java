package io.voxdesk.contacts;

/**
 * A contact to call, with the number to call: its first.
 *
 * @param number in E.164.
 */
public record CallTarget(ContactId contact, String name, String number) {
}
