/** Tenant set-up shared by the tests of every module that builds on tenants. */
@NullMarked
package io.voxdesk.testing.tenants;

import org.jspecify.annotations.NullMarked;
