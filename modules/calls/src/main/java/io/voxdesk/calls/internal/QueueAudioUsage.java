package io.voxdesk.calls.internal;

import java.util.List;

import io.voxdesk.audio.AudioId;
import io.voxdesk.audio.AudioUsage;

import org.springframework.stereotype.Component;

/** Tells the audio library which queues greet their callers, or say goodbye, with one of its items. */
@Component
class QueueAudioUsage implements AudioUsage {

	private final DefaultQueueRoutingManagement routing;

	QueueAudioUsage(DefaultQueueRoutingManagement routing) {
		this.routing = routing;
	}

	@Override
	public List<String> usersOf(AudioId audio) {
		return routing.queuesPlaying(audio);
	}
}
