package io.voxdesk.calls;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Decides whether a provider connection may send a request to a URL: a tenant admin types the URL, so without this
 * check Voxdesk would call any host of the networks around it (loopback, private, link-local, the cloud metadata
 * address) and read back how they answer. The host is resolved and every address checked, when a connection is
 * saved and again by connectors right before they connect (a name may resolve elsewhere by then).
 */
public final class OutboundTargets {

	private final List<Network> allowed;

	private OutboundTargets(List<Network> allowed) {
		this.allowed = allowed;
	}

	/** The policy that lets connections reach the given networks (CIDR) despite their being internal. */
	public static OutboundTargets allowing(List<String> networks) {
		return new OutboundTargets(networks.stream().map(Network::parse).toList());
	}

	/**
	 * Checks a URL a connection is about to call.
	 *
	 * @throws ProviderException with a reason a person can act on, if the URL may not be called.
	 */
	public void check(String url) {
		URI uri;
		try {
			uri = URI.create(url.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new ProviderException("the address is not a valid URL");
		}
		var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
		if (!List.of("http", "https", "ws", "wss").contains(scheme) || uri.getHost() == null) {
			throw new ProviderException("the address must be an http:// or https:// URL with a host");
		}
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(uri.getHost());
		}
		catch (UnknownHostException ex) {
			throw new ProviderException("the host name " + uri.getHost() + " does not resolve");
		}
		for (var address : addresses) {
			var kind = internal(address);
			if (kind != null && allowed.stream().noneMatch(network -> network.contains(address))) {
				throw new ProviderException("the host " + uri.getHost() + " is a " + kind + " address, which Voxdesk "
						+ "does not call unless an administrator allows its network (voxdesk.calls.outbound.allowed-networks)");
			}
		}
	}

	/** What kind of internal address this is, or {@literal null} for a public one. */
	static String internal(InetAddress address) {
		if (address.isLoopbackAddress()) {
			return "loopback";
		}
		if (address.isAnyLocalAddress()) {
			return "wildcard";
		}
		if (address.isLinkLocalAddress()) {
			return "link-local (cloud metadata)";
		}
		if (address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return "private";
		}
		var bytes = address.getAddress();
		if (address instanceof Inet6Address && (bytes[0] & 0xfe) == 0xfc) {
			return "private";
		}
		if (bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64) {
			return "private (carrier-grade NAT)";
		}
		return null;
	}

	/** A network in CIDR notation. */
	record Network(byte[] prefix, int bits) {

		static Network parse(String cidr) {
			var slash = cidr.indexOf('/');
			try {
				var address = InetAddress.getByName(slash < 0 ? cidr.strip() : cidr.substring(0, slash).strip());
				var length = address.getAddress().length * 8;
				var bits = slash < 0 ? length : Integer.parseInt(cidr.substring(slash + 1).strip());
				if (bits < 0 || bits > length) {
					throw new IllegalArgumentException("bad prefix length");
				}
				return new Network(address.getAddress(), bits);
			}
			catch (UnknownHostException | RuntimeException ex) {
				throw new IllegalArgumentException("voxdesk.calls.outbound.allowed-networks: '" + cidr
						+ "' is not a network in CIDR notation, such as 10.20.0.0/16");
			}
		}

		boolean contains(InetAddress address) {
			var bytes = address.getAddress();
			if (bytes.length != prefix.length) {
				return false;
			}
			for (var bit = 0; bit < bits; bit++) {
				var mask = 0x80 >> (bit % 8);
				if ((bytes[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
					return false;
				}
			}
			return true;
		}
	}
}
