package io.voxdesk;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

/** Voxdesk: a voice channel for multi-tenant CRM and ticketing systems. */
@Modulithic(systemName = "Voxdesk")
@SpringBootApplication
@ConfigurationPropertiesScan
public class VoxdeskApplication {

	public static void main(String[] args) {
		SpringApplication.run(VoxdeskApplication.class, args);
	}
}
