package io.voxdesk.calls.spi;

/** Who picked up a campaign's call, as the provider's detection judged the first seconds of speech. */
public enum AnsweredBy {

	/** A short "Alô?" followed by silence: a person waiting to hear why they were called. */
	HUMAN,

	/** A long greeting: an answering machine or the carrier's voicemail ("caixa postal"). */
	MACHINE,

	/** Silence, or nothing the detection could judge in time: treated as a person. */
	UNKNOWN
}
