package io.voxdesk;

import java.sql.SQLException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.voxdesk.calls.ProviderException;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.core.PropertyReferenceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Turns every error raised while handling a request into an RFC 9457 problem document whose detail tells
 * the caller what was wrong; unexpected failures are logged and answered without internals.
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);

	/** The list of accepted enum values in Jackson's message, e.g. {@code [low, normal, high, urgent]}. */
	private static final Pattern ACCEPTED_VALUES = Pattern.compile("Enum class: \\[([^\\]]*)\\]");

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		var fields = exception.getBindingResult()
			.getFieldErrors()
			.stream()
			.map(error -> error.getField() + " " + error.getDefaultMessage())
			.sorted()
			.collect(Collectors.joining("; "));
		var problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", "The request has invalid fields: " + fields + ".");
		problem.setProperty("errors", exception.getBindingResult()
			.getFieldErrors()
			.stream()
			.map(error -> new FieldProblem(error.getField(), String.valueOf(error.getDefaultMessage())))
			.toList());
		return handleExceptionInternal(exception, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		var problem = problem(HttpStatus.BAD_REQUEST, "Unreadable request", unreadable(exception.getMostSpecificCause()));
		return handleExceptionInternal(exception, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		// Each upload's own advice: a contact list can be split, a recording cannot.
		var advice = request.getDescription(false).startsWith("uri=/api/audio")
				? "shorten the audio, or export it as MP3, and upload it again."
				: "split the file and upload the parts.";
		var problem = problem(HttpStatus.PAYLOAD_TOO_LARGE, "File too large",
				"The upload is larger than the 20 MB Voxdesk accepts; " + advice);
		return handleExceptionInternal(exception, problem, headers, HttpStatus.PAYLOAD_TOO_LARGE, request);
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ProblemDetail typeMismatch(MethodArgumentTypeMismatchException exception) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid parameter",
				"'" + exception.getValue() + "' is not a valid value for " + exception.getName() + ".");
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ProblemDetail invalidValue(IllegalArgumentException exception) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid value", exception.getMessage());
	}

	/** A sort by a property the resource does not have: {@code sort=nope,desc}. */
	@ExceptionHandler(PropertyReferenceException.class)
	ProblemDetail unknownSort(PropertyReferenceException exception) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid sort",
				"The results cannot be sorted by '" + printable(exception.getPropertyName()) + "': there is no such property.");
	}

	/**
	 * Paging and sorting that Spring Data refuses once it builds the query: a page so far that its offset does not
	 * fit, or a sort expression that is no property name. Anything else of this kind is a bug, answered as such.
	 */
	@ExceptionHandler(InvalidDataAccessApiUsageException.class)
	ProblemDetail invalidPaging(InvalidDataAccessApiUsageException exception) {
		var message = String.valueOf(exception.getMessage());
		if (message.contains("Page offset exceeds")) {
			return problem(HttpStatus.BAD_REQUEST, "Invalid page",
					"The page is too far: page times size must stay below " + Integer.MAX_VALUE + ".");
		}
		if (message.contains("Sort expression")) {
			return problem(HttpStatus.BAD_REQUEST, "Invalid sort",
					"sort must be a property name, optionally followed by ',asc' or ',desc'.");
		}
		return unexpected(exception);
	}

	/** A query parameter Tomcat could not decode (not UTF-8 percent-encoding, e.g. {@code %FF}). */
	@ExceptionHandler(InvalidParameterException.class)
	ProblemDetail undecodableParameter(InvalidParameterException exception) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid parameter",
				"A query parameter could not be decoded: send its value percent-encoded as UTF-8.");
	}

	@ExceptionHandler(OptimisticLockingFailureException.class)
	ProblemDetail concurrentChange(OptimisticLockingFailureException exception) {
		return problem(HttpStatus.CONFLICT, "Concurrent change",
				"Someone else changed this resource at the same time; reload it and try again.");
	}

	@ExceptionHandler(DataIntegrityViolationException.class)
	ProblemDetail conflict(DataIntegrityViolationException exception) {
		if (exception.getMostSpecificCause() instanceof SQLException sql && sql.getSQLState() != null
				&& sql.getSQLState().startsWith("22")) {
			// SQL's data exceptions: a value PostgreSQL cannot store (a NUL character, an invalid byte sequence,
			// a value longer than its column); that is bad input, not a conflict.
			return problem(HttpStatus.BAD_REQUEST, "Invalid value", "A value in the request cannot be stored: it is "
					+ "too long or contains a character that is not allowed, such as a NUL (\\u0000).");
		}
		log.info("Request refused by a database constraint: {}", exception.getMostSpecificCause().getMessage());
		return problem(HttpStatus.CONFLICT, "Conflict",
				"The change conflicts with existing data (a duplicate or a reference to something missing).");
	}

	/** A telephony provider refused or could not be reached: not Voxdesk's failure, and the message says why. */
	@ExceptionHandler(ProviderException.class)
	ProblemDetail provider(ProviderException exception) {
		log.warn("Provider request failed: {}", exception.getMessage());
		return problem(HttpStatus.BAD_GATEWAY, "Telephony provider unavailable", exception.getMessage());
	}

	/**
	 * No database connection within the pool's timeout, or one lost on the way: PostgreSQL is restarting, or every
	 * pooled connection is busy under a load above what this instance can take. The caller may try again; Voxdesk itself is not broken, so no
	 * stack trace (under overload there would be one per request).
	 */
	@ExceptionHandler({ CannotCreateTransactionException.class, DataAccessResourceFailureException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception exception) {
		log.warn("Request refused, the database could not be reached in time: {}", exception.getMessage());
		var problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Temporarily unavailable",
				"Voxdesk could not reach its database in time (it is restarting, or busier than it can serve), so the "
						+ "request could not be completed. Try again in a few seconds.");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "5")
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	@ExceptionHandler(AccessDeniedException.class)
	void accessDenied(AccessDeniedException exception) {
		throw exception;
	}

	@ExceptionHandler(Exception.class)
	ProblemDetail unexpected(Exception exception) {
		log.error("Request failed", exception);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
				"Voxdesk failed to handle this request; the error was logged.");
	}

	/** Says which field was wrong and why, or where the JSON broke, without echoing the whole body. */
	static String unreadable(Throwable cause) {
		if (cause instanceof InvalidFormatException invalid && !invalid.getPath().isEmpty()) {
			var value = String.valueOf(invalid.getValue());
			var shown = value.length() > 50 ? value.substring(0, 50) + "…" : value;
			var accepted = ACCEPTED_VALUES.matcher(String.valueOf(invalid.getOriginalMessage()));
			var target = invalid.getTargetType();
			var hint = target != null && target.isEnum() && accepted.find() ? "; use one of: " + accepted.group(1) : "";
			return "'" + shown + "' is not a valid value for " + field(invalid) + hint + ".";
		}
		if (cause instanceof MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
			return "The field " + field(mismatched) + " has the wrong type or shape.";
		}
		if (cause instanceof StreamReadException broken && broken.getLocation() != null) {
			return "The request body is not valid JSON (line " + broken.getLocation().getLineNr() + ", column "
					+ broken.getLocation().getColumnNr() + ").";
		}
		return "The request body is missing or is not valid JSON of the expected shape.";
	}

	private static String field(JacksonException exception) {
		var field = new StringBuilder();
		for (var reference : exception.getPath()) {
			if (reference.getPropertyName() != null) {
				field.append(field.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				field.append('[').append(reference.getIndex()).append(']');
			}
		}
		return field.toString();
	}

	private static String printable(String text) {
		var cut = text.length() > 60 ? text.substring(0, 60) + "…" : text;
		return cut.replaceAll("\\p{Cntrl}", "?");
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		var problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

	/** One invalid field and what is wrong with it. */
	record FieldProblem(String field, String message) {
	}
}
