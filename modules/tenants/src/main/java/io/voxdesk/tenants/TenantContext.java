package io.voxdesk.tenants;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The tenant (or the platform) the current thread works for, and who is acting.
 * <p>
 * HTTP requests get their scope from the caller's token. Background work has none and must choose one with
 * {@link #runAs(TenantId, Runnable)} or {@link #runAsPlatform(Runnable)}; tenant data touched without a scope
 * fails with {@link NoTenantBoundException}. The scope reaches PostgreSQL (row-level security) when a
 * transaction takes its connection, so switching scope inside a running transaction runs the work in a new
 * transaction of its own.
 */
@Component
public class TenantContext {

	private static final ThreadLocal<@Nullable Scope> CURRENT = new ThreadLocal<>();

	private final ObjectProvider<PlatformTransactionManager> transactions;

	private volatile @Nullable TransactionTemplate newTransaction;

	TenantContext(ObjectProvider<PlatformTransactionManager> transactions) {
		this.transactions = transactions;
	}

	/**
	 * The tenant the current thread works for.
	 *
	 * @throws NoTenantBoundException when no tenant is bound.
	 */
	public TenantId currentTenant() {
		return tenantIfBound().orElseThrow(() -> new NoTenantBoundException(
				"No tenant is bound to this thread: wrap background work in TenantContext.runAs(tenantId, ...)"));
	}

	/** The tenant the current thread works for, if any. */
	public Optional<TenantId> tenantIfBound() {
		var scope = CURRENT.get();
		return scope == null ? Optional.empty() : Optional.ofNullable(scope.tenant());
	}

	/** Whether the current thread works for the platform as a whole rather than for one tenant. */
	public boolean isPlatform() {
		var scope = CURRENT.get();
		return scope != null && scope.tenant() == null;
	}

	/** The lease the current thread's work is fenced by, if any (see {@link #callFenced}). */
	public Optional<Fence> fence() {
		var scope = CURRENT.get();
		return scope == null ? Optional.empty() : Optional.ofNullable(scope.fence());
	}

	/** Who is acting on the current thread; {@link Actor#SYSTEM} for background work. */
	public Actor actor() {
		var scope = CURRENT.get();
		return scope == null ? Actor.SYSTEM : scope.actor();
	}

	public void runAs(TenantId tenant, Runnable work) {
		callAs(tenant, () -> {
			work.run();
			return null;
		});
	}

	public <T> T callAs(TenantId tenant, Supplier<T> work) {
		return within(new Scope(Objects.requireNonNull(tenant), actor(), fence().orElse(null)), work);
	}

	/**
	 * Runs work that depends on holding a lease: every write it makes, here and in the scopes it opens, carries the
	 * fence, and the database refuses it once another instance holds the lease.
	 */
	public void runFenced(TenantId tenant, Fence fence, Runnable work) {
		callFenced(tenant, fence, () -> {
			work.run();
			return null;
		});
	}

	public <T> T callFenced(TenantId tenant, Fence fence, Supplier<T> work) {
		return within(new Scope(Objects.requireNonNull(tenant), actor(), Objects.requireNonNull(fence)), work);
	}

	/** Runs platform work: the tenant registry and platform audit, never another tenant's data. */
	public void runAsPlatform(Runnable work) {
		callAsPlatform(() -> {
			work.run();
			return null;
		});
	}

	public <T> T callAsPlatform(Supplier<T> work) {
		return within(new Scope(null, actor(), null), work);
	}

	/**
	 * Wraps work handed to another thread so that it runs in the scope bound here (tenant, actor and fence): a
	 * connector's work hopping between its threads stays fenced by the lease it started under.
	 */
	public Runnable carry(Runnable work) {
		var scope = CURRENT.get();
		if (scope == null) {
			return work;
		}
		return () -> {
			var previous = CURRENT.get();
			CURRENT.set(scope);
			try {
				work.run();
			}
			finally {
				restore(previous);
			}
		};
	}

	/**
	 * Binds a scope until the returned binding is closed; for infrastructure (request filters) that cannot
	 * wrap its work in a lambda. Prefer {@link #runAs(TenantId, Runnable)}.
	 *
	 * @param tenant the tenant, or {@literal null} for the platform scope.
	 */
	public Binding bind(@Nullable TenantId tenant, Actor actor) {
		var previous = CURRENT.get();
		CURRENT.set(new Scope(tenant, actor, null));
		return () -> restore(previous);
	}

	private <T> T within(Scope scope, Supplier<T> work) {
		var previous = CURRENT.get();
		if (scope.sameTarget(previous)) {
			return work.get();
		}
		CURRENT.set(scope);
		try {
			return TransactionSynchronizationManager.isActualTransactionActive()
					? newTransaction().execute(status -> work.get())
					: work.get();
		}
		finally {
			restore(previous);
		}
	}

	private TransactionTemplate newTransaction() {
		var template = newTransaction;
		if (template == null) {
			template = new TransactionTemplate(transactions.getObject());
			template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
			newTransaction = template;
		}
		return template;
	}

	private static void restore(@Nullable Scope previous) {
		if (previous == null) {
			CURRENT.remove();
		}
		else {
			CURRENT.set(previous);
		}
	}

	/** A bound scope; closing it restores the one before. */
	@FunctionalInterface
	public interface Binding extends AutoCloseable {

		@Override
		void close();
	}

	private record Scope(@Nullable TenantId tenant, Actor actor, @Nullable Fence fence) {

		boolean sameTarget(@Nullable Scope other) {
			return other != null && Objects.equals(tenant, other.tenant) && Objects.equals(fence, other.fence);
		}
	}
}
