package io.voxdesk.tenants.internal;

import javax.sql.DataSource;

import io.voxdesk.tenants.RememberedValues;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantDetails;
import io.voxdesk.tenants.TenantId;

import org.hibernate.cfg.MultiTenancySettings;
import org.hibernate.cfg.JdbcSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.AbstractEntityManagerFactoryBean;

/**
 * Wires the tenant scope into Hibernate (inserts stamped, unscoped statements refused) and into every database
 * connection (row-level security, which filters every read).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TenantsSettings.class)
class TenancyConfiguration {

	/** Tenants' registry entries, so neither the request filter nor a click-to-call reads the registry each time. */
	@Bean
	RememberedValues<TenantId, TenantDetails> rememberedTenants(TenantsSettings settings) {
		return new RememberedValues<>("voxdesk.tenants.statuses", settings.statusCacheTime(), 10_000);
	}

	@Bean
	HibernatePropertiesCustomizer tenantScopeHibernateProperties(TenantScopeResolver resolver, TenantContext context) {
		return properties -> {
			properties.put(MultiTenancySettings.MULTI_TENANT_IDENTIFIER_RESOLVER, resolver);
			properties.put(JdbcSettings.STATEMENT_INSPECTOR, new TenantScopeGuard(context));
		};
	}

	@Bean
	static BeanPostProcessor rowSecuredJpaDialect() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof AbstractEntityManagerFactoryBean factory) {
					factory.setJpaDialect(new RowSecuredJpaDialect());
				}
				return bean;
			}
		};
	}

	@Bean
	static BeanPostProcessor tenantScopedDataSources(ObjectProvider<TenantContext> context) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return bean instanceof DataSource dataSource && !(bean instanceof TenantScopedDataSource)
						? new TenantScopedDataSource(dataSource, context.getObject())
						: bean;
			}
		};
	}
}
