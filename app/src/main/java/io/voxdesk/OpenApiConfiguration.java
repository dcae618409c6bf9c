package io.voxdesk;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Describes the API in the OpenAPI document served at {@code /v3/api-docs}, with bearer-token security. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI voxdeskOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Voxdesk API")
				.version("v1")
				.description("Voice channel for multi-tenant CRM and ticketing. Every call needs a Keycloak access "
						+ "token; errors are RFC 9457 problem documents."))
			.components(new Components().addSecuritySchemes("keycloak",
					new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
			.addSecurityItem(new SecurityRequirement().addList("keycloak"));
	}
}
