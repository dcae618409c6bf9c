package io.voxdesk.api4com.internal;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;

import io.voxdesk.calls.spi.CallReports;
import io.voxdesk.calls.spi.DirectCall;
import io.voxdesk.calls.spi.InboundCall;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantDetails;
import io.voxdesk.tenants.TenantManagement;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

import tools.jackson.databind.JsonNode;

/**
 * Takes in API4COM's webhooks. The URL's token names the tenant and connection (API4COM signs nothing), and the
 * payload's {@code metadata.voxdeskCallId}, echoed from the dialer request, names the call (an inbound call, or
 * one an extension placed without Voxdesk, is recorded from its first webhook); both are checked in
 * the tenant's scope, so a token can only ever reach its own tenant's calls. Whatever cannot be used is
 * acknowledged and dropped: API4COM would only send it again.
 */
@Service
class WebhookReceiver {

	private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);

	/** Where problems say they happened: never the request path, which holds the token. */
	private static final URI INSTANCE = URI.create("/webhooks/api4com");

	private final WebhookStore store;

	private final Api4comCallIds callIds;

	private final CallReports calls;

	private final TenantManagement tenants;

	private final TenantContext context;

	private final TransactionTemplate transactions;

	private final Api4comRecordings recordings;

	private final Clock clock;

	WebhookReceiver(WebhookStore store, Api4comCallIds callIds, CallReports calls, TenantManagement tenants,
			TenantContext context, PlatformTransactionManager transactions, Api4comRecordings recordings,
			Optional<Clock> clock) {
		this.store = store;
		this.callIds = callIds;
		this.calls = calls;
		this.recordings = recordings;
		this.tenants = tenants;
		this.context = context;
		this.transactions = new TransactionTemplate(transactions);
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/**
	 * Applies one webhook.
	 *
	 * @throws ErrorResponseException 404 for a token no active tenant has, 400 for a body that is not a JSON object.
	 */
	Result receive(String token, @Nullable String body) {
		return receive(target(token), body);
	}

	/**
	 * The tenant and connection a webhook URL's token names: checked before anything of the body is read, so an
	 * unknown caller cannot make Voxdesk read (or buffer) whatever it sends.
	 *
	 * @throws ErrorResponseException 404 for a token no active tenant has.
	 */
	WebhookStore.Target target(String token) {
		return (token.length() > 100 ? Optional.<WebhookStore.Target>empty() : store.target(token))
			.filter(found -> context.callAs(found.tenant(), () -> tenants.find(found.tenant()))
				.map(TenantDetails::isActive)
				.orElse(false))
			.orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "Unknown webhook",
					"No API4COM connection has this webhook URL."));
	}

	/**
	 * Applies one webhook of a checked token.
	 *
	 * @throws ErrorResponseException 400 for a body that is not a JSON object.
	 */
	Result receive(WebhookStore.Target target, @Nullable String body) {
		var payload = Json.parse(body);
		if (!payload.isObject()) {
			throw problem(HttpStatus.BAD_REQUEST, "Malformed webhook", "The webhook body is not a JSON object.");
		}
		var type = Json.text(payload, "eventType");
		if (!Api4comFacts.EVENT_TYPES.contains(type)) {
			log.info("API4COM connection {}: ignored a webhook of type '{}'", target.connection(), printable(type));
			return Result.ignored("unknown event type");
		}
		var call = Api4comFacts.voxdeskCall(payload);
		if (call == null && "inbound".equalsIgnoreCase(Json.text(payload, "direction"))) {
			return inbound(target, payload, type);
		}
		if (call == null) {
			return direct(target, payload, type);
		}
		var api4comId = Api4comFacts.api4comId(payload);
		var now = clock.instant();
		// Only the lookup and the id mapping share this short transaction. The facts go to the calls module's single
		// event worker, outside it: deliveries racing for one call (API4COM sends create, answer and hangup at once)
		// then never compete for the call's row, and each one is answered once its facts are committed.
		var known = context.callAs(target.tenant(), () -> transactions.execute(status -> {
			var details = calls.find(call).filter(found -> found.provider().equals(Api4comAdapter.KIND)).orElse(null);
			if (details != null && !api4comId.isEmpty()) {
				callIds.remember(target.tenant(), call, api4comId, now);
			}
			return Optional.ofNullable(details);
		}));
		if (known == null || known.isEmpty()) {
			log.info("API4COM connection {}: ignored a {} webhook for call {}, which this tenant does not have",
					target.connection(), type, call);
			return Result.ignored("unknown call");
		}
		// Outside any transaction, CallReports.apply hands each fact to the event worker and waits for its commit.
		int changed = context.callAs(target.tenant(), () -> (int) Api4comFacts.fromWebhook(call, payload, now)
			.stream()
			.filter(calls::apply)
			.count());
		log.debug("API4COM connection {}: {} for call {} applied {} new facts", target.connection(), type, call, changed);
		// In the background: a download must not delay the answer to API4COM.
		if (!known.get().recorded()) {
			Api4comFacts.recordingUrl(payload).ifPresent(url -> recordings.fetchLater(target.tenant(), call, url));
		}
		return changed == 0 ? Result.DUPLICATE : Result.applied(changed);
	}

	/**
	 * A webhook of a call that reached the tenant: API4COM routed it itself (its ring groups ring the extensions), so
	 * the first webhook of the call, whichever type it is, announces it, and every one applies its facts to the
	 * record that announcement made. The contract does not say which field holds the external number on inbound
	 * calls: {@code caller} and {@code called} are both read, the extension being the one that reads as a short
	 * extension number ({@link #sides}).
	 */
	private Result inbound(WebhookStore.Target target, JsonNode payload, String type) {
		var api4comId = Api4comFacts.api4comId(payload);
		if (api4comId.isEmpty()) {
			log.info("API4COM connection {}: ignored an inbound {} webhook without a call id", target.connection(), type);
			return Result.ignored("no call id");
		}
		var sides = sides(Json.text(payload, "caller"), Json.text(payload, "called"));
		var now = clock.instant();
		var started = Api4comTime.parse(Json.text(payload, "startedAt"));
		var arrival = InboundCall.routedTo(target.connection(), api4comId, sides.external(), sides.extension(),
				started == null ? now : started);
		var call = context.callAs(target.tenant(), () -> calls.arrived(arrival)).call();
		int changed = context.callAs(target.tenant(), () -> (int) Api4comFacts.fromWebhook(call, payload, now)
			.stream()
			.filter(calls::apply)
			.count());
		log.debug("API4COM connection {}: inbound {} for call {} applied {} new facts", target.connection(), type, call,
				changed);
		Api4comFacts.recordingUrl(payload).ifPresent(url -> recordings.fetchLater(target.tenant(), call, url));
		return changed == 0 ? Result.DUPLICATE : Result.applied(changed);
	}

	/**
	 * A webhook of an outbound call Voxdesk did not place (dialled on the extension's phone): recorded for the
	 * extension's user, so that no call bypasses the records; ignored when no user has the extension.
	 */
	private Result direct(WebhookStore.Target target, JsonNode payload, String type) {
		var api4comId = Api4comFacts.api4comId(payload);
		var sides = sides(Json.text(payload, "called"), Json.text(payload, "caller"));
		if (api4comId.isEmpty() || sides.extension() == null) {
			log.info("API4COM connection {}: ignored a {} webhook without a Voxdesk call id or an extension",
					target.connection(), type);
			return Result.ignored("not a Voxdesk call");
		}
		var now = clock.instant();
		var started = Api4comTime.parse(Json.text(payload, "startedAt"));
		var direct = new DirectCall(target.connection(), api4comId, sides.extension(), sides.external(),
				started == null ? now : started);
		var call = context.callAs(target.tenant(), () -> calls.placedDirectly(direct)).orElse(null);
		if (call == null) {
			return Result.ignored("no user has extension " + printable(sides.extension()));
		}
		int changed = context.callAs(target.tenant(), () -> (int) Api4comFacts.fromWebhook(call, payload, now)
			.stream()
			.filter(calls::apply)
			.count());
		Api4comFacts.recordingUrl(payload).ifPresent(url -> recordings.fetchLater(target.tenant(), call, url));
		return changed == 0 ? Result.DUPLICATE : Result.applied(changed);
	}

	/** The two parties of an inbound call: the customer's number and the extension that took it, if one did. */
	record Sides(String external, @Nullable String extension) {
	}

	/**
	 * Which of {@code caller} and {@code called} is the tenant's extension: the one of 2 to 6 digits, the other being
	 * the customer's number (a national or E.164 number is longer). Both forms API4COM uses are accepted: the
	 * customer as {@code caller} and the extension as {@code called}, or the other way round.
	 */
	static Sides sides(String caller, String called) {
		var callerIsExtension = caller.matches("\\d{2,6}");
		var calledIsExtension = called.matches("\\d{2,6}");
		if (calledIsExtension && !callerIsExtension) {
			return new Sides(caller, called);
		}
		if (callerIsExtension && !calledIsExtension) {
			return new Sides(called, caller);
		}
		return new Sides(caller, null);
	}

	/**
	 * What of a webhook's text may reach the log: at most 40 characters, control and line-separator characters
	 * replaced, so a payload cannot forge log lines.
	 */
	static String printable(String text) {
		var cut = text.length() > 40 ? text.substring(0, 40) + "…" : text;
		return cut.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]", "?");
	}

	/** The refusal of a body over the limit, as a problem that does not name the URL. */
	static ErrorResponseException tooLarge(long limit) {
		return problem(HttpStatus.CONTENT_TOO_LARGE, "Webhook too large",
				"A webhook body may have at most " + limit + " bytes.");
	}

	private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
		var problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		problem.setInstance(INSTANCE);
		return new ErrorResponseException(status, problem, null);
	}

	/**
	 * What became of a webhook.
	 *
	 * @param result {@code applied}, {@code duplicate} (every fact was known) or {@code ignored}.
	 * @param facts how many new facts it brought.
	 * @param reason why it was ignored.
	 */
	record Result(String result, int facts, @Nullable String reason) {

		static final Result DUPLICATE = new Result("duplicate", 0, null);

		static Result applied(int facts) {
			return new Result("applied", facts, null);
		}

		static Result ignored(String reason) {
			return new Result("ignored", 0, reason);
		}
	}
}
