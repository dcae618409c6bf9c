package io.voxdesk.tenants;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * This process as it names itself to the other instances sharing the database (connection leases, agents' webphone
 * connections, health): host, process id and a random part, so that a restarted process is another instance.
 */
@Component
public class InstanceName {

	private final String value;

	InstanceName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "unknown-host";
		}
		var name = host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
		// The database keeps 64 characters; the end (process and random part) is what tells instances apart.
		this.value = name.length() > 64 ? name.substring(name.length() - 64) : name;
	}

	/** At most 64 characters. */
	public String value() {
		return value;
	}

	@Override
	public String toString() {
		return value;
	}
}
