package io.voxdesk.calls;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where provider connections may send requests ({@code voxdesk.calls.outbound.*}).
 *
 * @param allowedNetworks networks in CIDR notation (e.g. {@code 10.20.0.0/16}, {@code 127.0.0.0/8}) that connections
 *     may reach although they are loopback, private or link-local: an on-premises PBX on the office network. None by
 *     default, so a tenant admin cannot make Voxdesk call into the networks around it.
 */
@ConfigurationProperties("voxdesk.calls.outbound")
public record OutboundSettings(@DefaultValue List<String> allowedNetworks) {
}
