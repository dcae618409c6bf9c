package io.voxdesk.campaigns.internal;

import java.util.List;

import io.voxdesk.audio.AudioId;
import io.voxdesk.audio.AudioUsage;

import org.springframework.stereotype.Component;

/** Tells the audio library which campaigns that have not ended play one of its items. */
@Component
class CampaignAudioUsage implements AudioUsage {

	private final DefaultCampaignManagement campaigns;

	CampaignAudioUsage(DefaultCampaignManagement campaigns) {
		this.campaigns = campaigns;
	}

	@Override
	public List<String> usersOf(AudioId audio) {
		return campaigns.playing(audio);
	}
}
