/**
 * The API4COM connector: drives a tenant's API4COM cloud PBX over its HTTP API behind the calls module's telephony
 * SPI, receives its webhooks at a per-connection secret URL, and reconciles calls from its call records.
 */
@ApplicationModule(allowedDependencies = { "calls", "calls :: spi", "tenants" })
@NullMarked
package io.voxdesk.api4com;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
