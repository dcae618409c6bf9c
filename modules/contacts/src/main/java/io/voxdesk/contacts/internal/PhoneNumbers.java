package io.voxdesk.contacts.internal;

import java.util.Optional;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;

import io.voxdesk.contacts.InvalidPhoneNumberException;

import org.springframework.stereotype.Component;

/**
 * Reads phone numbers as people type them, such as {@code (48) 3332-8530}, {@code 048 3332 8530} or
 * {@code +55 48 3332-8530}, and writes them in E.164, national numbers being read in the tenant's region.
 */
@Component
public class PhoneNumbers {

	static final int MAX_INPUT = 40;

	private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();

	/**
	 * The E.164 form of a number.
	 *
	 * @param field where the number came from, named in the error.
	 * @throws InvalidPhoneNumberException if it is not a valid number.
	 */
	public String toE164(String field, String input, String region) {
		if (input.isBlank()) {
			throw new InvalidPhoneNumberException(field, input, "it is empty");
		}
		if (input.length() > MAX_INPUT) {
			throw new InvalidPhoneNumberException(field, input.substring(0, MAX_INPUT) + "…",
					"it is longer than " + MAX_INPUT + " characters");
		}
		try {
			var number = util.parse(input, region);
			if (!util.isValidNumber(number)) {
				var where = util.getRegionCodeForCountryCode(number.getCountryCode());
				throw new InvalidPhoneNumberException(field, input,
						"it has the wrong length or an unassigned prefix for region " + where);
			}
			return util.format(number, PhoneNumberFormat.E164);
		}
		catch (NumberParseException e) {
			throw new InvalidPhoneNumberException(field, input, switch (e.getErrorType()) {
				case INVALID_COUNTRY_CODE -> "its country code is unknown (national numbers are read as " + region + ")";
				case TOO_SHORT_AFTER_IDD, TOO_SHORT_NSN -> "it is too short";
				case TOO_LONG -> "it is too long";
				case NOT_A_NUMBER -> "it does not look like a phone number";
			});
		}
	}

	/** The E.164 form of a number if it is one, for lookups that must not fail on odd caller ids. */
	public Optional<String> tryE164(String input, String region) {
		try {
			return Optional.of(toE164("number", input, region));
		}
		catch (InvalidPhoneNumberException e) {
			return Optional.empty();
		}
	}
}
