/**
 * The telephony seam: what a connector module implements to drive one kind of provider, what it declares about itself
 * (settings, secret, capabilities, SIP defaults), and the ports through which it reads its connections and reports
 * what the provider did.
 */
@NamedInterface("spi")
@NullMarked
package io.voxdesk.calls.spi;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
