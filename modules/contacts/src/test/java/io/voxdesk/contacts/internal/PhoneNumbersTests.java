package io.voxdesk.contacts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voxdesk.contacts.InvalidPhoneNumberException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTests {

	final PhoneNumbers numbers = new PhoneNumbers();

	@ParameterizedTest
	@ValueSource(strings = { "(48) 3332-8530", "048 3332 8530", "48 33328530", "+55 48 3332-8530", "+554833328530",
			"+55 (48) 3332-8530", " 4833328530 " })
	void commonSpellingsOfABrazilianLandlineGiveTheSameE164(String input) {
		assertThat(numbers.toE164("phone", input, "BR")).isEqualTo("+554833328530");
	}

	@ParameterizedTest
	@CsvSource({ "(11) 98765-4321, BR, +5511987654321", "011 98765 4321, BR, +5511987654321",
			"(415) 555-2671, US, +14155552671", "+44 20 7946 0958, BR, +442079460958" })
	void nationalNumbersAreReadInTheTenantsRegion(String input, String region, String e164) {
		assertThat(numbers.toE164("phone", input, region)).isEqualTo(e164);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "''| it is empty", "abc| it does not look like a phone number",
			"123| it has the wrong length", "+999 1234 5678| its country code is unknown",
			"48 3332-85301234567| it has the wrong length" })
	void invalidNumbersNameTheFieldAndTheReason(String input, String reason) {
		assertThatThrownBy(() -> numbers.toE164("phones[1].number", input, "BR"))
			.isInstanceOfSatisfying(InvalidPhoneNumberException.class, e -> {
				assertThat(e.field()).isEqualTo("phones[1].number");
				assertThat(e.getBody().getDetail()).startsWith("phones[1].number: '").contains(reason.strip());
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "anonymous", "", "+" })
	void lookupsOfOddCallerIdsFindNothingInsteadOfFailing(String input) {
		assertThat(numbers.tryE164(input, "BR")).isEmpty();
	}
}
