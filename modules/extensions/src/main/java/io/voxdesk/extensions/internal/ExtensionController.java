package io.voxdesk.extensions.internal;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.voxdesk.extensions.ExtensionDetails;
import io.voxdesk.extensions.ExtensionDraft;
import io.voxdesk.extensions.ExtensionManagement;
import io.voxdesk.extensions.ExtensionNotFoundException;
import io.voxdesk.extensions.ExtensionSummary;
import io.voxdesk.extensions.SipServer;
import io.voxdesk.tenants.CurrentUser;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * REST API of personal extensions. Everything under {@code /api/me} acts for the caller's own token subject and
 * nobody else, so there is no way to name another user's extension; tenant admins list the tenant's extensions
 * without passwords.
 */
@RestController
@RequestMapping("/api")
@PreAuthorize("hasAnyRole('agent', 'tenant-admin')")
class ExtensionController {

	private final ExtensionManagement extensions;

	private final ExtensionWorkflow workflow;

	ExtensionController(ExtensionManagement extensions, ExtensionWorkflow workflow) {
		this.extensions = extensions;
		this.workflow = workflow;
	}

	/** The extension as its owner enters it; only {@code extension} is required. */
	@Schema(example = """
			{"extension": "1001", "password": "s3cret-SIP", "username": "1001", "domain": "pbx.acme.example",
			 "websocketUrl": "wss://pbx.acme.example:8089/ws", "displayName": "Ana (Acme)", "active": true}""")
	record ExtensionRequest(
			@Schema(example = "1001") @NotNull @Pattern(regexp = ExtensionRules.EXTENSION,
					message = ExtensionRules.EXTENSION_MESSAGE) String extension,
			@Schema(description = "SIP password; write-only, omit (or send null or \"\") to keep the stored one",
					example = "s3cret-SIP", accessMode = Schema.AccessMode.WRITE_ONLY) @Nullable @Size(
							max = ExtensionRules.PASSWORD_MAX) String password,
			@Schema(description = "SIP user; defaults to the extension", example = "1001") @Nullable @Pattern(
					regexp = ExtensionRules.USERNAME, message = ExtensionRules.USERNAME_MESSAGE) String username,
			@Schema(description = "SIP domain and realm; defaults to what the provider connection suggests",
					example = "pbx.acme.example") @Nullable @Size(max = ExtensionRules.DOMAIN_MAX) @Pattern(
							regexp = ExtensionRules.DOMAIN, message = ExtensionRules.DOMAIN_MESSAGE) String domain,
			@Schema(description = "SIP-over-WebSocket server, ws:// or wss://; defaults to what the provider "
					+ "connection suggests", example = "wss://pbx.acme.example:8089/ws") @Nullable @Size(
							max = ExtensionRules.WEBSOCKET_URL_MAX) @Pattern(regexp = ExtensionRules.WEBSOCKET_URL,
									message = ExtensionRules.WEBSOCKET_URL_MESSAGE) String websocketUrl,
			@Schema(example = "Ana (Acme)") @Nullable @Size(max = ExtensionRules.DISPLAY_NAME_MAX) @Pattern(
					regexp = ExtensionRules.DISPLAY_NAME, message = ExtensionRules.DISPLAY_NAME_MESSAGE) String displayName,
			@Schema(description = "whether click-to-call and the webphone use it; true when omitted",
					example = "true") @Nullable Boolean active) {

		ExtensionDraft toDraft() {
			return new ExtensionDraft(extension, password, username, domain, websocketUrl, displayName,
					active == null || active);
		}

		@Override
		public String toString() {
			return "ExtensionRequest[extension=" + extension + ", password=***, username=" + username + ", domain="
					+ domain + ", websocketUrl=" + websocketUrl + ", displayName=" + displayName + ", active=" + active
					+ "]";
		}
	}

	/** What the tenant's enabled provider connection suggests; every field is null when it suggests nothing. */
	record Defaults(@Nullable String domain, @Nullable String websocketUrl, @Nullable String source) {

		static Defaults of(@Nullable SipServer server) {
			return server == null ? new Defaults(null, null, null)
					: new Defaults(server.domain(), server.websocketUrl(), server.source());
		}
	}

	@Operation(summary = "Your own extension; the password is never in it")
	@GetMapping("/me/extension")
	ExtensionDetails mine() {
		return extensions.find(CurrentUser.current().requireUser()).orElseThrow(ExtensionNotFoundException::new);
	}

	@Operation(summary = "Sets up or changes your own extension; omit the password to keep the stored one")
	@PutMapping("/me/extension")
	ExtensionDetails change(@Valid @RequestBody ExtensionRequest request) {
		return extensions.save(CurrentUser.current().requireUser(), request.toDraft());
	}

	@Operation(summary = "The SIP domain and WebSocket server your organization's provider connection suggests")
	@GetMapping("/me/extension/defaults")
	Defaults defaults() {
		return Defaults.of(extensions.defaults().orElse(null));
	}

	@Operation(summary = "Your webphone's registration settings, password included: only ever your own, never cached")
	@GetMapping("/me/webphone")
	ResponseEntity<WebphoneSettings> webphone() {
		var owner = CurrentUser.current();
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(workflow.webphone(owner.requireUser(), owner.displayName()));
	}

	@Operation(summary = "Every user's extension of your organization, without passwords (tenant admins)")
	@GetMapping("/extensions")
	@PreAuthorize("hasRole('tenant-admin')")
	List<ExtensionSummary> list() {
		return extensions.list();
	}
}
