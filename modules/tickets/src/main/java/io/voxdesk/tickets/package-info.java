/**
 * Tickets, queues (departments) with their member agents, and each ticket's append-only timeline, which other
 * modules add their own entries to without this module knowing what they are.
 */
@ApplicationModule(allowedDependencies = { "tenants", "contacts" })
@NullMarked
package io.voxdesk.tickets;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
