/**
 * The Asterisk connector: drives a tenant's own Asterisk through ARI (with ari4java) behind the calls module's
 * telephony SPI, keeps one supervised event WebSocket per connection, and reconciles calls after reconnecting.
 */
@ApplicationModule(allowedDependencies = { "calls", "calls :: spi", "tenants", "audio" })
@NullMarked
package io.voxdesk.asterisk;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
