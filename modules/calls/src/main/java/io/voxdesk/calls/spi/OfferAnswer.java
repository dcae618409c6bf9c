package io.voxdesk.calls.spi;

import java.util.List;

/**
 * What Voxdesk decided when an agent answered an offer.
 *
 * @param taken whether this agent takes the caller: the first answer does, any later one is answered elsewhere.
 * @param withdrawn the call's other offers still ringing, which the connector hangs up as answered elsewhere.
 */
public record OfferAnswer(boolean taken, List<Integer> withdrawn) {

	public OfferAnswer {
		withdrawn = List.copyOf(withdrawn);
	}
}
