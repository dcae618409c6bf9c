package io.voxdesk;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * Problem documents where Spring MVC's handlers never run: requests Tomcat refuses before the application sees them
 * (an undecodable path, a NUL byte in it) and the {@code /error} page; and JSON that is read strictly, so that a
 * number or a boolean is not silently taken for text (a fuzzer created tenants named {@code 123} and {@code true}).
 */
@Configuration(proxyBeanMethods = false)
class ProblemErrors {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
		return factory -> factory.addContextCustomizers(context -> {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(ProblemReportValve.class.getName());
			}
		});
	}

	@Bean
	JsonMapperBuilderCustomizer textIsText() {
		return builder -> builder.withCoercionConfig(LogicalType.Textual, config -> config
			.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

	/** Tomcat's own error page, as a problem document instead of HTML. */
	public static class ProblemReportValve extends ErrorReportValve {

		@Override
		protected void report(Request request, Response response, Throwable throwable) {
			var status = response.getStatus();
			if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
				return;
			}
			var reason = HttpStatus.resolve(status);
			var title = reason == null ? "Error" : reason.getReasonPhrase();
			var detail = status == 400
					? "The request could not be read: its path or parameters are not valid (for example a NUL byte or a "
							+ "broken percent-encoding)."
					: "The request could not be handled (" + title + ").";
			try {
				response.setContentType("application/problem+json");
				response.setCharacterEncoding("UTF-8");
				Writer writer = response.getReporter();
				if (writer != null) {
					writer.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
							+ ",\"detail\":\"" + detail + "\"}");
					response.finishResponse();
				}
			}
			catch (IOException | IllegalStateException ex) {
				// The client is gone, or the response was already committed: nothing more to say.
			}
		}
	}

	/** {@code /error}: the status of the error being reported, or 404 for anyone who asks for the page itself. */
	@RestController
	static class ProblemErrorController implements ErrorController {

		@RequestMapping("/error")
		ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
			var code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
			var status = code instanceof Integer value && HttpStatus.resolve(value) != null ? HttpStatus.valueOf(value)
					: HttpStatus.NOT_FOUND;
			var problem = ProblemDetail.forStatusAndDetail(status, code == null ? "There is nothing at /error."
					: "The request could not be handled (" + status.getReasonPhrase() + ").");
			problem.setTitle(status.getReasonPhrase());
			if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
				try {
					problem.setInstance(SecretPathProblems.withoutSecret(URI.create(uri)));
				}
				catch (IllegalArgumentException ex) {
					// A path that is no URI (a broken percent-encoding) is not worth repeating.
				}
			}
			return ResponseEntity.status(status).body(problem);
		}
	}
}
