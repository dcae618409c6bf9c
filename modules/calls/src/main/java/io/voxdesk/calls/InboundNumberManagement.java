package io.voxdesk.calls;

import java.util.List;
import java.util.Optional;

/**
 * The numbers that reach the current tenant, where their calls go and what they create, for tenant admins. A number belongs to one
 * tenant only; every change publishes an {@link InboundNumberChanged}, which the audit log keeps.
 */
public interface InboundNumberManagement {

	List<InboundNumberDetails> list();

	Optional<InboundNumberDetails> find(InboundNumberId id);

	/**
	 * Routes a number.
	 *
	 * @throws CallNotPossibleException (409) when this tenant or another one already routes the number.
	 * @throws org.springframework.web.ErrorResponseException (400) naming the field, for a bad number, connection,
	 *     queue or user.
	 */
	InboundNumberDetails create(InboundNumberDraft draft);

	/** Re-routes a number, or moves it to another of the tenant's connections. */
	InboundNumberDetails update(InboundNumberId id, InboundNumberDraft draft);

	void delete(InboundNumberId id);

	/** What inbound calls create in the tenant; {@link InboundPolicy#DEFAULT} until a tenant admin changes it. */
	InboundPolicy policy();

	InboundPolicy changePolicy(InboundPolicy policy);
}
