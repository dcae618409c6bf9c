package io.voxdesk.asterisk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.spi.OutboundCall;

import ch.loway.oss.ari4java.generated.ari_10_0_0.models.CallerID_impl_ari_10_0_0;
import ch.loway.oss.ari4java.generated.ari_10_0_0.models.Channel_impl_ari_10_0_0;
import ch.loway.oss.ari4java.generated.models.Channel;
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
		assertThatCode(() -> AriCallFlow.accepted(call, () -> {
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
		assertThatCode(() -> AriCallFlow.accepted(call, () -> {
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
		assertThatThrownBy(() -> AriCallFlow.accepted(call, () -> {
			throw new RestException("Allocation failed", 500);
		})).isInstanceOf(RestException.class);
		assertThatThrownBy(() -> AriCallFlow.accepted(call, () -> {
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

	@Test
	void aPhonesExtensionIsReadFromItsChannelsEndpointElseFromItsCallerId() {
		assertThat(AriCallFlow.extensionOf("PJSIP/{extension}", channel("PJSIP/1001-0000002a", "4833330100")))
			.isEqualTo("1001");
		assertThat(AriCallFlow.extensionOf("PJSIP/agent-{extension}", channel("PJSIP/agent-1002-00000003", "")))
			.isEqualTo("1002");
		// A channel the template does not name (a Local channel, another technology): its caller ID number.
		assertThat(AriCallFlow.extensionOf("PJSIP/{extension}", channel("Local/5548999990000@agents-00000001;2", "1003")))
			.isEqualTo("1003");
		assertThat(AriCallFlow.extensionOf("PJSIP/{extension}", channel("SIP/1004-00000001", " 1004 "))).isEqualTo("1004");
		assertThat(AriCallFlow.extensionOf("PJSIP/{extension}", channel("PJSIP/-00000001", ""))).isEmpty();
	}

	private static Channel channel(String name, String callerNumber) {
		var caller = new CallerID_impl_ari_10_0_0();
		caller.setNumber(callerNumber);
		var channel = new Channel_impl_ari_10_0_0();
		channel.setName(name);
		channel.setCaller(caller);
		return channel;
	}
}
