package io.voxdesk.asterisk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.spi.OutboundCall;

import ch.loway.oss.ari4java.tools.RestException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * An originate whose answer ari4java lost (its synchronous request read the body after handing the connection back)
 * is accepted; every other failure is still one.
 */
class AriCallFlowTests {

	final CallId call = CallId.random();

	@Test
	void anOriginateWhoseBodyAri4javaLostIsAccepted() {
		// What ari4java's BaseAriAction does with the body it lost: hand Jackson nothing to read.
		assertThatCode(() -> AriCallFlow.acceptedOriginate(call, () -> {
			try {
				return new ObjectMapper().readValue((String) null, Object.class);
			}
			catch (JsonProcessingException ex) {
				throw new RestException(ex);
			}
		})).doesNotThrowAnyException();
	}

	@Test
	void anOriginateThatGotAnotherRequestsAnswerIsAccepted() {
		// A concurrent hangup's error body where the channel should be, wrapped as ari4java's BaseAriAction does.
		assertThatCode(() -> AriCallFlow.acceptedOriginate(call, () -> {
			try {
				return new ObjectMapper().readValue("{\"message\": \"Channel not found\"}", AChannel.class);
			}
			catch (JsonProcessingException ex) {
				throw new RestException("Decoding JSON: " + ex.getMessage(), ex);
			}
		})).doesNotThrowAnyException();
	}

	/** Stands in for ari4java's channel model, which has no {@code message} field either. */
	record AChannel(String id) {
	}

	@Test
	void aRefusalOrAnyOtherFailureIsStillOne() {
		assertThatThrownBy(() -> AriCallFlow.acceptedOriginate(call, () -> {
			throw new RestException("Allocation failed", 500);
		})).isInstanceOf(RestException.class);
		assertThatThrownBy(() -> AriCallFlow.acceptedOriginate(call, () -> {
			throw new IllegalArgumentException("Illegal character in path");
		})).isInstanceOf(IllegalArgumentException.class);
	}

	/**
	 * {@code PJSIP_HEADER} exists only for PJSIP channels; on any other technology Asterisk logs "PJSIP_HEADER not
	 * registered" on every click, so the header goes only where it means something.
	 */
	@Test
	void theWebphonesCallIdHeaderIsSetOnPjsipAgentEndpointsOnly() {
		var outbound = new OutboundCall(call, "1001", "+554833328530", "Ana", false);

		assertThat(AriCallFlow.agentVariables("PJSIP/1001", outbound))
			.containsEntry("PJSIP_HEADER(add,X-Voxdesk-Call-Id)", call.toString())
			.containsEntry("VOXDESK_CALL_ID", call.toString());
		assertThat(AriCallFlow.agentVariables("pjsip/1001@office", outbound)).containsKey("PJSIP_HEADER(add,X-Voxdesk-Call-Id)");
		assertThat(AriCallFlow.agentVariables("Local/1001@agents", outbound))
			.containsOnlyKeys("VOXDESK_CALL_ID");
		assertThat(AriCallFlow.agentVariables("SIP/1001", outbound)).containsOnlyKeys("VOXDESK_CALL_ID");
	}
}
