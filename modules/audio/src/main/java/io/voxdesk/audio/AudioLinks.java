package io.voxdesk.audio;

import java.net.URI;

/**
 * Short-lived signed links through which a tenant's PBX fetches audio from Voxdesk, such as Asterisk playing
 * {@code sound:http://…}. The library is never listable: a link names one item, one tenant and one audience (the
 * provider connection it was made for), and stops working when it expires.
 */
public interface AudioLinks {

	/**
	 * A link to the item's 8 kHz WAV for {@code audience}, valid for one to two hours. Every link made for the same
	 * item and audience within the same hour is the same URL, so the PBX's media cache downloads it once an hour.
	 *
	 * @param audience who the link is for, such as a provider connection's id ({@code [A-Za-z0-9:._-]{1,100}}).
	 * @param baseUrl where that PBX reaches Voxdesk, such as {@code http://voxdesk.internal:8080}.
	 * @throws AudioNotFoundException if the current tenant has no such item.
	 */
	URI link(AudioId audio, String audience, URI baseUrl);
}
