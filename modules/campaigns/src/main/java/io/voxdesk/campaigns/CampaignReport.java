package io.voxdesk.campaigns;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a campaign did so far, for its report and its monitor.
 *
 * @param name the campaign's name.
 * @param contacts contacts the campaign calls (fixed when it started).
 * @param byOutcome contacts by how they ended ({@code answered} by a person, {@code machine} hung up on,
 *     {@code voicemail} left on a machine, {@code opted-out}, {@code busy}, {@code no-answer}, {@code failed},
 *     {@code do-not-call}), and those not ended yet ({@code pending}, {@code calling}).
 * @param percentByOutcome the same, as percentages of {@code contacts}, one decimal.
 * @param attempts calls placed; {@code attemptsPerContact} their average per contact that was called.
 * @param inProgress calls in progress now.
 * @param callsLastMinute calls placed in the last minute.
 * @param talkSeconds total time answered calls lasted; {@code averageTalkSeconds} per answered call.
 * @param answerRateByHour per hour (UTC) in which attempts were placed: attempts and how many were answered.
 * @param byKey IVR keys: how many attempts pressed each.
 */
public record CampaignReport(CampaignId campaign, String name, CampaignState state, int contacts,
		Map<String, Integer> byOutcome, Map<String, Double> percentByOutcome, int attempts, double attemptsPerContact,
		int inProgress, int callsLastMinute, long talkSeconds,
		double averageTalkSeconds, List<Hour> answerRateByHour, Map<String, Integer> byKey) {

	/** One hour of a campaign: attempts placed in it, and how many of them were answered. */
	public record Hour(Instant hour, int attempts, int answered) {
	}
}
