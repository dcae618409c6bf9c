package io.voxdesk.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserIdTests {

	@ParameterizedTest
	@ValueSource(strings = { "0b7c6a3e-5d2f-4f51-9a51-3c1b0f7e2d11", "service-account-acme:voxdesk", "agent@acme.example",
			"a", "A.Z_0-9", "x123456789012345678901234567890123456789012345678901234567890123" })
	void acceptsWhatAnIdentityProviderUsesAsASubject(String value) {
		assertThat(UserId.isValid(value)).isTrue();
		assertThat(UserId.of(value).value()).isEqualTo(value);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "agent one", "jos\u00e9", "../etc/passwd", "<script>", "a/b", "a,b", "tab\t",
			"x1234567890123456789012345678901234567890123456789012345678901234" })
	void refusesAnythingElseIncludingPathsMarkupAndOverlongValues(String value) {
		assertThat(UserId.isValid(value)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> UserId.of(value)).withMessageContaining("is not a user id");
	}
}
