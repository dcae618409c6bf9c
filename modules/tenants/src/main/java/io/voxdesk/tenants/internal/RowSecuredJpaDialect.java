package io.voxdesk.tenants.internal;

import java.sql.SQLException;

import jakarta.persistence.EntityManager;

import org.hibernate.Session;
import org.springframework.orm.jpa.vendor.HibernateJpaDialect;
import org.springframework.transaction.TransactionDefinition;

/**
 * Spring's Hibernate dialect with Hibernate's own tenant filter switched off in every transaction: PostgreSQL's
 * row-level security already confines each statement of the transaction to its tenant, JPA or native, and a session
 * with any filter enabled bypasses Hibernate's query plan cache, so every query and every load by id was planned
 * anew (a fifth of the CPU of recording an inbound caller, measured). {@code @TenantId} still stamps inserts and
 * refuses an entity assigned to another tenant.
 */
class RowSecuredJpaDialect extends HibernateJpaDialect {

	/** Hibernate's name for the filter {@code @TenantId} enables in every session of a tenant. */
	static final String TENANT_FILTER = "_tenantId";

	@Override
	public Object beginTransaction(EntityManager entityManager, TransactionDefinition definition)
			throws SQLException {
		var data = super.beginTransaction(entityManager, definition);
		var session = entityManager.unwrap(Session.class);
		if (session.getEnabledFilter(TENANT_FILTER) != null) {
			session.disableFilter(TENANT_FILTER);
		}
		return data;
	}
}
