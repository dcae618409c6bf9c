package io.voxdesk.webhooks.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import io.voxdesk.webhooks.WebhooksSettings;

import org.springframework.stereotype.Component;

/**
 * Decides whether Voxdesk may send to a webhook URL (server-side request forgery): {@code https} only, and the host
 * must resolve to public addresses, never loopback, private, link-local (cloud metadata), shared or multicast ones.
 * Checked when an endpoint is saved and again before every delivery, since a name can be pointed elsewhere later.
 * The development setting {@code voxdesk.webhooks.allow-loopback-http} also lets plain {@code http} reach loopback.
 */
@Component
class WebhookTargets {

	private final boolean loopbackAllowed;

	WebhookTargets(WebhooksSettings settings) {
		this.loopbackAllowed = settings.allowLoopbackHttp();
	}

	/** The URL, checked; its host resolved now. */
	URI check(String url) {
		URI uri;
		try {
			uri = new URI(url.strip());
		}
		catch (URISyntaxException ex) {
			throw new RefusedTarget("The URL is not valid: " + ex.getReason() + ".");
		}
		var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		var host = uri.getHost();
		if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
			throw new RefusedTarget("The URL must be an absolute https:// URL with a host name.");
		}
		if (uri.getUserInfo() != null) {
			throw new RefusedTarget("The URL must not carry a user name or password; the signature authenticates "
					+ "Voxdesk to the host.");
		}
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(host);
		}
		catch (UnknownHostException ex) {
			throw new UnresolvedTarget("The host " + host + " could not be resolved.");
		}
		var allLoopback = true;
		for (var address : addresses) {
			if (address.isLoopbackAddress() && loopbackAllowed) {
				continue;
			}
			allLoopback = false;
			if (!isPublic(address)) {
				// Which internal address a name has is not the admin's business.
				throw new RefusedTarget("The host " + host + " resolves to a private, loopback or link-local "
						+ "address; webhooks only go to public addresses.");
			}
		}
		if (scheme.equals("http") && !allLoopback) {
			throw new RefusedTarget("The URL must use https://; plain http is accepted only to loopback in "
					+ "development (voxdesk.webhooks.allow-loopback-http).");
		}
		return uri;
	}

	static boolean isPublic(InetAddress address) {
		if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return false;
		}
		var bytes = address.getAddress();
		if (address instanceof Inet6Address) {
			// Global unicast (2000::/3) only: that leaves out IPv4-mapped and -compatible forms (::ffff:10.0.0.1 from
			// a DNS answer is an Inet6Address the JDK does not call site-local), NAT64 (64:ff9b::/96), unique local
			// (fc00::/7) and the rest. Inside it, 6to4 (2002::/16) carries an IPv4 address, judged as such, and
			// Teredo (2001::/32) and documentation (2001:db8::/32) are refused.
			if ((bytes[0] & 0xe0) != 0x20) {
				return false;
			}
			if ((bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02) {
				return isPublicIpv4(new byte[] { bytes[2], bytes[3], bytes[4], bytes[5] });
			}
			var teredo = (bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x01 && bytes[2] == 0 && bytes[3] == 0;
			var documentation = (bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x01 && (bytes[2] & 0xff) == 0x0d
					&& (bytes[3] & 0xff) == 0xb8;
			return !teredo && !documentation;
		}
		return isPublicIpv4(bytes);
	}

	private static boolean isPublicIpv4(byte[] bytes) {
		var first = bytes[0] & 0xff;
		var second = bytes[1] & 0xff;
		// 10/8, 172.16/12, 192.168/16 private; 127/8 loopback; 169.254/16 link-local; 100.64/10 shared (carrier
		// NAT); 0/8; 192.0.0/24; 198.18/15 benchmarking; 224/4 multicast and 240/4 reserved.
		return first != 10 && !(first == 172 && second >= 16 && second < 32) && !(first == 192 && second == 168)
				&& first != 127 && !(first == 169 && second == 254) && !(first == 100 && second >= 64 && second < 128)
				&& first != 0 && !(first == 192 && second == 0 && (bytes[2] & 0xff) == 0)
				&& !(first == 198 && (second & 0xfe) == 18) && first < 224;
	}

	/** A webhook URL Voxdesk will not send to, with the reason a person can act on. */
	static class RefusedTarget extends RuntimeException {

		RefusedTarget(String reason) {
			super(reason);
		}
	}

	/** A host name that did not resolve now: refused when an endpoint is saved, tried again when delivering. */
	static final class UnresolvedTarget extends RefusedTarget {

		UnresolvedTarget(String reason) {
			super(reason);
		}
	}
}
