package io.voxdesk.extensions.internal;

/**
 * What the owner's webphone registers with, password included (JsSIP's names). Served only to the extension's
 * owner; {@link #toString()} hides the password so it cannot reach a log.
 */
record WebphoneSettings(String uri, String authorizationUser, String password, String realm, String websocketUrl,
		String displayName, String extension) {

	@Override
	public String toString() {
		return "WebphoneSettings[uri=" + uri + ", authorizationUser=" + authorizationUser + ", password=***, realm="
				+ realm + ", websocketUrl=" + websocketUrl + ", displayName=" + displayName + ", extension=" + extension
				+ "]";
	}
}
