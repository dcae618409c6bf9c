package io.voxdesk.calls;

/** A provider refused a request or could not be reached; the message says which, without secrets. */
public class ProviderException extends RuntimeException {

	public ProviderException(String message) {
		super(message);
	}

	public ProviderException(String message, Throwable cause) {
		super(message, cause);
	}
}
