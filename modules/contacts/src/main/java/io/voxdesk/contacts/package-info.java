/**
 * Contacts of a tenant: names, E.164 phone numbers (what caller-ID matching looks up), email, five custom
 * fields and tags, with search and CSV import.
 */
@ApplicationModule(allowedDependencies = "tenants")
@NullMarked
package io.voxdesk.contacts;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
